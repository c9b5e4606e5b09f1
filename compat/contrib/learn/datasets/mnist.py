"""tf.contrib.learn.datasets.mnist for TensorFlow 2.x: TF 1.15's MNIST reader, in numpy + gzip.

Also `tensorflow.examples.tutorials.mnist.input_data` (compat/examples/), the import of countless
tutorials. Same results as TF 1.15 array by array: the idx files parsed the same way, images
scaled from uint8 to float32 in [0, 1] and flattened to 784 columns, the first `validation_size`
training examples split off as validation, labels uint8 or float64 one-hot, and the same batch
order, because DataSet seeds numpy's global generator exactly as TF 1.15's did (see numpy_seed).
The four files are downloaded from `source_url` when missing (base.maybe_download).

Deliberate differences: a missing file that cannot be downloaded, or a damaged one, is one clear
line (DownloadError, MnistFileError; exit 2 under `python -m compat`) instead of a traceback, and
TF 1.15's deprecation log lines are not printed.
"""

import gzip
import zlib

import numpy
from tensorflow.compat import v1 as tf

from compat.contrib.learn.datasets import base
from compat.errors import CompatError

__all__ = ["DEFAULT_SOURCE_URL", "DataSet", "MnistFileError", "base", "dense_to_one_hot", "extract_images",
           "extract_labels", "load_mnist", "read_data_sets"]

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"  # TF 1.15's CVDF mirror
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
_MAXINT32 = 2 ** 31 - 1  # TF truncates seeds to this range
_FIX = "delete it to have read_data_sets download it again, or put an intact copy there"


class MnistFileError(CompatError, ValueError):
    """An MNIST file is not an intact idx .gz file; the message names it and says what to do."""


def _damaged(f, what):
    return MnistFileError("MNIST file %s is damaged (%s); %s" % (f.name, what, _FIX))


def _read_exactly(bytestream, count, f, header):
    """count bytes of the decompressed idx data, or MnistFileError saying how it falls short."""
    try:
        data = bytestream.read(count)
    except EOFError:
        raise _damaged(f, "the gzip data ends early: cut off while downloaded or copied") from None
    except (OSError, zlib.error) as exc:  # 'Not a gzipped file', a corrupt deflate stream
        raise _damaged(f, "not readable as gzip: %s" % exc) from None
    if len(data) != count:
        raise _damaged(f, "it holds %d bytes of idx data where its %s needs %d" % (len(data), header, count))
    return data


def _read_idx(f, magic, kind):
    """The idx header's dimensions and the data of a gzipped idx file, its gzip checksum verified."""
    with gzip.GzipFile(fileobj=f) as bytestream:
        found = int(numpy.frombuffer(_read_exactly(bytestream, 4, f, "header"), ">u4")[0])
        if found != magic:
            raise MnistFileError("MNIST file %s is not an idx %s file (magic number %d, expected %d); %s"
                                 % (f.name, kind, found, magic, _FIX))
        dimensions = 3 if kind == "image" else 1
        shape = [int(n) for n in numpy.frombuffer(_read_exactly(bytestream, 4 * dimensions, f, "header"), ">u4")]
        data = _read_exactly(bytestream, int(numpy.prod(shape)), f, "header (%s)" % " x ".join(map(str, shape)))
        try:
            bytestream.read()  # to the end: a damaged stream fails its CRC check here
        except (EOFError, OSError, zlib.error) as exc:
            raise _damaged(f, "its gzip data does not check out: %s" % (str(exc) or type(exc).__name__)) from None
    return shape, numpy.frombuffer(data, dtype=numpy.uint8)


def extract_images(f):
    """A gzipped idx3 image file (open, binary) -> uint8 array [index, y, x, depth=1]."""
    print("Extracting", f.name)
    (count, rows, cols), pixels = _read_idx(f, IMAGES_MAGIC, "image")
    return pixels.reshape(count, rows, cols, 1)


def dense_to_one_hot(labels_dense, num_classes):
    """Class indices -> float64 one-hot rows."""
    count = labels_dense.shape[0]
    one_hot = numpy.zeros((count, num_classes))
    one_hot.flat[numpy.arange(count) * num_classes + labels_dense.ravel()] = 1
    return one_hot


def extract_labels(f, one_hot=False, num_classes=10):
    """A gzipped idx1 label file (open, binary) -> uint8 labels, or float64 one-hot rows."""
    print("Extracting", f.name)
    _, labels = _read_idx(f, LABELS_MAGIC, "label")
    return dense_to_one_hot(labels, num_classes) if one_hot else labels


def _graph_seed():
    if tf.executing_eagerly():
        from tensorflow.python.eager import context

        return context.global_seed()
    return tf.get_default_graph().seed


def numpy_seed(seed):
    """The seed TF 1.15's DataSet gives numpy.random.seed: the second of random_seed.get_seed(seed)
    when `seed` is set, else the first (the graph-level seed, or None: entropy). Computed here
    rather than by calling get_seed, whose TF 2.x version advances the graph's op-seed counter."""
    graph_seed = _graph_seed()
    if seed is None:
        return None if graph_seed is None else graph_seed % _MAXINT32
    if seed % _MAXINT32 == 0 and graph_seed is not None and graph_seed % _MAXINT32 == 0:
        return _MAXINT32  # get_seed avoids (0, 0), which C++ ops read as "not seeded"
    return seed % _MAXINT32


class DataSet(object):
    """Images and labels of one split, served in shuffled batches by next_batch()."""

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=tf.float32, reshape=True,
                 seed=None):
        """`dtype` uint8 keeps pixels in [0, 255], float32 scales them to [0, 1]; `seed` (or the
        graph-level seed) seeds numpy's global generator, which next_batch shuffles with."""
        numpy.random.seed(numpy_seed(seed))
        dtype = tf.as_dtype(dtype).base_dtype
        if dtype not in (tf.uint8, tf.float32):
            raise TypeError("Invalid image dtype %r, expected uint8 or float32" % dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            assert images.shape[0] == labels.shape[0], (
                "images.shape: %s labels.shape: %s" % (images.shape, labels.shape))
            self._num_examples = images.shape[0]
            if reshape:  # [n, rows, cols, 1] -> [n, rows * cols]
                assert images.shape[3] == 1
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == tf.float32:
                images = numpy.multiply(images.astype(numpy.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def _shuffle(self):
        order = numpy.arange(self._num_examples)
        numpy.random.shuffle(order)
        self._images = self._images[order]
        self._labels = self._labels[order]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next `batch_size` examples (images, labels). The data is shuffled before the first
        batch and at each epoch's end; a batch crossing that end takes the epoch's rest, then
        the start of the reshuffled data."""
        if fake_data:
            image = [1] * 784
            label = [1] + [0] * 9 if self.one_hot else 0
            return [image for _ in range(batch_size)], [label for _ in range(batch_size)]
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            return self._images[start:self._index_in_epoch], self._labels[start:self._index_in_epoch]
        self._epochs_completed += 1
        images_rest = self._images[start:self._num_examples]
        labels_rest = self._labels[start:self._num_examples]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (numpy.concatenate((images_rest, self._images[:end]), axis=0),
                numpy.concatenate((labels_rest, self._labels[:end]), axis=0))


def _local_file(name, train_dir, source_url):
    try:
        return base.maybe_download(name, train_dir, source_url + name)
    except base.DownloadError as exc:
        raise base.DownloadError(
            "MNIST file %s is not in %s and downloading %s failed (%s); put the four MNIST files %s in %s "
            "(they are at %s)" % (name, train_dir, exc.url, exc.reason, ", ".join(FILES), train_dir, source_url),
            exc.url, exc.reason) from None


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=tf.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    """Datasets(train, validation, test) of MNIST from the four idx .gz files in train_dir
    (downloaded from source_url when missing); validation is the first validation_size
    training examples."""
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return base.Datasets(train=fake(), validation=fake(), test=fake())
    source_url = source_url or DEFAULT_SOURCE_URL
    arrays = []
    for name in FILES:  # downloaded and read one after the other, in TF 1.15's order
        with open(_local_file(name, train_dir, source_url), "rb") as f:
            arrays.append(extract_images(f) if "images" in name else extract_labels(f, one_hot=one_hot))
    train_images, train_labels, test_images, test_labels = arrays
    if not 0 <= validation_size <= len(train_images):
        raise ValueError("Validation size should be between 0 and {}. Received: {}."
                         .format(len(train_images), validation_size))
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], **options)
    test = DataSet(test_images, test_labels, **options)
    return base.Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir="MNIST-data"):
    return read_data_sets(train_dir)
