"""tf.contrib.learn.datasets.base for TensorFlow 2.x: the Dataset(s) tuples and maybe_download.

maybe_download fetches a file only when it is missing, as TF 1.15 did, but safely: the bytes go
to a temporary name in the same folder and are renamed only once complete, so an interrupted or
failed download leaves nothing behind (and nothing already there is overwritten). A failure is
one line (DownloadError) instead of urllib's traceback. The CSV/iris/boston loaders and `retry`
are not provided.
"""

import collections
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request

from compat.errors import CompatError, NotProvidedError

__all__ = ["Dataset", "Datasets", "DownloadError", "maybe_download"]

Dataset = collections.namedtuple("Dataset", ["data", "target"])
Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


class DownloadError(CompatError, OSError):
    """A file was missing and could not be downloaded; the message says where to put it."""

    def __init__(self, message, url, reason):
        super().__init__(message)
        self.url = url
        self.reason = reason


def failure_reason(exc):
    """What went wrong in a download, in a few words: 'HTTP 404 Not Found', '[Errno 111] ...'."""
    if isinstance(exc, urllib.error.HTTPError):
        return "HTTP %d %s" % (exc.code, exc.reason)
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed before the end of the file"
    return str(exc) or type(exc).__name__


def _fetch(url, destination):
    """Copy url's bytes into the open file `destination`; a body shorter than announced is an error."""
    with urllib.request.urlopen(url) as response:
        shutil.copyfileobj(response, destination)
        expected = response.headers.get("Content-Length")
    if expected is not None and destination.tell() != int(expected):
        raise OSError("the download ended after %d of %s bytes" % (destination.tell(), expected))


def maybe_download(filename, work_directory, source_url):
    """Download source_url to work_directory/filename unless that file exists; its path."""
    filepath = os.path.join(work_directory, filename)
    if os.path.exists(filepath):
        return filepath
    created = not os.path.isdir(work_directory)
    if created:
        os.makedirs(work_directory)
    partial = tempfile.NamedTemporaryFile(dir=work_directory, prefix="." + filename + ".", suffix=".part",
                                          delete=False)
    failure = None
    try:
        with partial:
            _fetch(source_url, partial)
        os.replace(partial.name, filepath)
    except (OSError, ValueError, http.client.HTTPException) as exc:  # ValueError: not a URL
        failure = failure_reason(exc)
    finally:  # also on Ctrl-C: no partial file, no folder made for nothing
        if os.path.exists(partial.name):
            os.remove(partial.name)
        if created and not os.listdir(work_directory):
            os.rmdir(work_directory)
    if failure is not None:
        raise DownloadError("%s is not in %s and downloading it from %s failed (%s); put the file there"
                            % (filename, work_directory, source_url, failure), source_url, failure)
    print("Successfully downloaded", filename, os.path.getsize(filepath), "bytes.")
    return filepath


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.learn.datasets.base." + name)
