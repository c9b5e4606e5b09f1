"""The MNIST reader: tf.contrib.learn.datasets.mnist, alias the tutorials' input_data.

`mnist` below is what a script gets: TF 1.15's own module on the legacy runtime (so the numpy
references here are proven to describe TF 1.15), compat's on TF 2.x. `reader` is compat's
implementation itself, which imports on both runtimes: on TF 1.15 it is compared with TF 1.15's
module array by array, and its download and damaged-file handling (compat's own, one-line
errors) is tested on both. Files are small real idx .gz files written here; no network: the
downloads come from file:// URLs and an http.server on localhost.
"""

import functools
import gzip
import http.server
import os
import shutil
import socket
import threading

import numpy as np
import pytest

from conftest import TF1, tf
from mnist_files import FILES, write_labels, write_mnist

from compat.contrib.learn.datasets import base
from compat.contrib.learn.datasets import mnist as reader

mnist = tf.contrib.learn.datasets.mnist
ROWS, COLS = 4, 3


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A folder with the four files (train 11 examples, test 4) and the arrays written to them."""
    folder = tmp_path_factory.mktemp("mnist")
    return folder, write_mnist(folder, train=11, test=4, rows=ROWS, cols=COLS)


def indices(images):
    """The example indices written into pixels [0, 0] and [0, 1] of each image."""
    flat = np.asarray(images).reshape(len(images), -1).astype(np.float64)
    scale = 255.0 if flat.max() <= 1.0 else 1.0
    return (np.round(flat[:, 0] * scale) + 256 * np.round(flat[:, 1] * scale)).astype(int)


def expected_batches(numpy_seed, count, batches, size, shuffle=True):
    """Reference of next_batch on indices: one shuffle of numpy's global generator (seeded once)
    before the first batch and at each epoch's end; a batch crossing the end takes the rest of
    the epoch, then the head of the reshuffled data."""
    rng = np.random.RandomState(numpy_seed)
    order = np.arange(count)

    def reshuffle(order):
        if not shuffle:
            return order
        permutation = np.arange(count)
        rng.shuffle(permutation)
        return order[permutation]

    order, position, result = reshuffle(order), 0, []
    for _ in range(batches):
        if position + size <= count:
            result.append(order[position:position + size])
            position += size
        else:
            rest = order[position:]
            order = reshuffle(order)
            position = size - len(rest)
            result.append(np.concatenate([rest, order[:position]]))
    return result


def test_reads_splits_scaled_and_flattened(files, graph):
    folder, written = files
    images, labels = written["train"]
    data = mnist.read_data_sets(str(folder), validation_size=3)
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (8, 3, 4)
    expected = images.reshape(11, ROWS * COLS).astype(np.float64) / 255.0
    assert data.validation.images.dtype == np.float32 and data.validation.images.shape == (3, ROWS * COLS)
    np.testing.assert_allclose(data.validation.images, expected[:3], rtol=1e-6)
    np.testing.assert_allclose(data.train.images, expected[3:], rtol=1e-6)
    assert data.train.labels.dtype == np.uint8
    np.testing.assert_array_equal(data.train.labels, labels[3:])
    np.testing.assert_array_equal(data.test.labels, written["test"][1])
    assert 0.0 <= data.test.images.min() and data.test.images.max() <= 1.0


def test_one_hot_labels_and_raw_uint8_images(files, graph):
    folder, written = files
    images, labels = written["train"]
    data = mnist.read_data_sets(str(folder), one_hot=True, dtype=tf.uint8, reshape=False, validation_size=0)
    assert data.train.images.dtype == np.uint8
    np.testing.assert_array_equal(data.train.images, images[..., None])
    assert data.train.labels.dtype == np.float64
    np.testing.assert_array_equal(data.train.labels, np.eye(10)[labels])


@pytest.mark.parametrize("seed, graph_seed, numpy_seed", [
    (7, 1234, 7),                  # the op seed wins
    (None, 1234, 1234),            # no op seed: the graph-level seed
    (2 ** 31 + 5, None, 6),        # truncated to 31 bits
    (0, 0, 2 ** 31 - 1),           # TF never hands out the pair (0, 0)
])
def test_batch_order_follows_tf_seeding(files, seed, graph_seed, numpy_seed):
    with tf.Graph().as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        data = mnist.read_data_sets(str(files[0]), validation_size=3, seed=seed)
    got = [data.train.next_batch(3) for _ in range(7)]   # 8 examples: crosses 2 epoch ends
    for (images, labels), want in zip(got, expected_batches(numpy_seed, 8, 7, 3)):
        np.testing.assert_array_equal(indices(images), want + 3)
        np.testing.assert_array_equal(labels, files[1]["train"][1][want + 3])
    assert data.train.epochs_completed == 2


def test_no_shuffle_and_oversized_batch(files, graph):
    data = mnist.read_data_sets(str(files[0]), validation_size=0, seed=1)
    first = data.test.next_batch(3, shuffle=False)
    second = data.test.next_batch(3, shuffle=False)
    np.testing.assert_array_equal(indices(first[0]), [0, 1, 2])
    np.testing.assert_array_equal(indices(second[0]), [3, 0, 1])
    images, labels = data.train.next_batch(20)   # more than an epoch: the epoch plus what is left
    assert len(images) == len(labels) == 20 - 11 + 11 and data.train.epochs_completed == 1


def test_fake_data_and_bad_arguments(files, graph):
    fake = mnist.read_data_sets("unused", fake_data=True, one_hot=True)
    images, labels = fake.train.next_batch(2, fake_data=True)
    assert np.array(images).shape == (2, 784) and labels == [[1] + [0] * 9] * 2
    assert fake.validation.num_examples == 10000
    with pytest.raises(ValueError, match="Validation size should be between 0 and 11. Received: 12."):
        mnist.read_data_sets(str(files[0]), validation_size=12)
    with pytest.raises(TypeError, match="Invalid image dtype"):
        mnist.read_data_sets(str(files[0]), dtype=tf.int32, validation_size=0)


@pytest.mark.skipif(not TF1, reason="TF 1.15's own module exists on the legacy runtime only "
                                    "(its goldens, parity_cases/mnist_reader, carry it to TF 2.x)")
@pytest.mark.parametrize("options", [
    dict(seed=None), dict(seed=3, one_hot=True), dict(seed=2 ** 32 + 1, dtype=tf.uint8, reshape=False),
    dict(seed=0, validation_size=5), dict(seed=9, validation_size=0, one_hot=True)])
def test_compat_reader_equals_tf115s(files, options):
    """compat's implementation and TF 1.15's module, same calls, same arrays and dtypes."""
    def run(module):
        with tf.Graph().as_default():
            tf.set_random_seed(11)
            data = module.read_data_sets(str(files[0]), **dict(dict(validation_size=2), **options))
        out = [data.validation.images, data.validation.labels, data.test.images, data.test.labels]
        for size in (3, 4, 20, 2, 5):
            out.extend(data.train.next_batch(size))
        out.extend(data.test.next_batch(3, shuffle=False))
        return out + [np.array(data.train.epochs_completed)]

    for ours, theirs in zip(run(reader), run(mnist)):
        assert (ours.dtype, ours.shape) == (theirs.dtype, theirs.shape)
        np.testing.assert_array_equal(ours, theirs)


# --- downloads and damaged files: compat's own behaviour, both runtimes -------------------------

def file_url(folder):
    return "file://%s/" % folder


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_downloads_the_missing_files_whole(files, tmp_path, graph, capsys):
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(str(files[0] / FILES[0]), str(target / FILES[0]))   # one already there: kept
    data = reader.read_data_sets(str(target), source_url=file_url(files[0]), validation_size=0)
    assert sorted(os.listdir(str(target))) == sorted(FILES), "no partial files left behind"
    assert snapshot(target) == {name: (files[0] / name).read_bytes() for name in FILES}
    assert capsys.readouterr().out.count("Successfully downloaded") == 3
    assert data.train.num_examples == 11


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _CutOff(http.server.BaseHTTPRequestHandler):
    """Announces 1000 bytes, sends 100 and closes: a download cut off halfway."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"\x1f\x8b" + b"x" * 98)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(handler):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return "http://127.0.0.1:%d/" % server.server_port

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_downloads_over_http(files, tmp_path, graph, serve):
    url = serve(functools.partial(_Files, directory=str(files[0])))
    data = reader.read_data_sets(str(tmp_path / "new" / "data"), source_url=url, validation_size=2)
    np.testing.assert_array_equal(data.test.labels, files[1]["test"][1])


def test_a_cut_off_download_leaves_nothing(tmp_path, serve):
    url = serve(_CutOff)
    target = tmp_path / "data"
    with pytest.raises(base.DownloadError) as info:
        reader.read_data_sets(str(target), source_url=url)
    assert "failed (the download ended after 100 of 1000 bytes)" in str(info.value)
    assert not target.exists(), "the folder made for the download is removed again, empty"


def closed_port_url():
    with socket.socket() as probe:     # a port nothing listens on: connection refused, as offline
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d/" % probe.getsockname()[1]


def test_offline_is_one_line_naming_files_folder_and_url(tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    url = closed_port_url()
    with pytest.raises(base.DownloadError) as info:
        reader.read_data_sets(str(target), source_url=url)
    message = str(info.value)
    assert message == (
        "MNIST file train-images-idx3-ubyte.gz is not in %s and downloading %strain-images-idx3-ubyte.gz "
        "failed ([Errno 111] Connection refused); put the four MNIST files train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in %s "
        "(they are at %s)" % (target, url, target, url))
    assert isinstance(info.value, OSError) and "\n" not in message
    assert snapshot(target) == {"notes.txt": b"mine"}


def _truncated(path):
    path.write_bytes(path.read_bytes()[:-30])


def _not_gzip(path):
    path.write_bytes(b"<html>Service unavailable</html>\n")


def _short_idx(path):
    write_labels(path, np.arange(3, dtype=np.uint8))     # a label file where the images belong


def _few_pixels(path):
    with gzip.open(str(path), "wb") as f:                 # header says 11 x 4 x 3, data is shorter
        f.write(np.array([2051, 11, ROWS, COLS], ">u4").tobytes() + bytes(20))


@pytest.mark.parametrize("damage, detail", [
    (_truncated, "is damaged (the gzip data ends early: cut off while downloaded or copied)"),
    (_not_gzip, "is damaged (not readable as gzip: Not a gzipped file (b'<h'))"),
    (_short_idx, "is not an idx image file (magic number 2049, expected 2051)"),
    (_few_pixels, "is damaged (it holds 20 bytes of idx data where its header (11 x 4 x 3) needs 132)"),
])
def test_damaged_file_is_one_line_and_left_alone(files, tmp_path, damage, detail):
    target = tmp_path / "data"
    shutil.copytree(str(files[0]), str(target))
    damage(target / FILES[0])
    before = snapshot(target)
    with pytest.raises(reader.MnistFileError) as info:
        reader.read_data_sets(str(target), source_url=closed_port_url())
    assert str(info.value) == ("MNIST file %s %s; delete it to have read_data_sets download it again, or put "
                               "an intact copy there" % (target / FILES[0], detail))
    assert snapshot(target) == before


# --- the import path of the tutorials -----------------------------------------------------------

def test_input_data_is_the_contrib_reader():
    """input_data only re-exports read_data_sets, on both runtimes (`import tensorflow.examples...`
    itself, through compat's import hook, is tested in test_compat_hook.py and docs/errors.md 58-59)."""
    if TF1:
        from tensorflow.examples.tutorials.mnist import input_data
    else:
        from compat.examples.tutorials.mnist import input_data
    assert input_data.read_data_sets is mnist.read_data_sets
