"""Read a TensorFlow checkpoint's .index file without TensorFlow, for `--resume`'s checks.

prepare() runs before TensorFlow is imported (3-6 s); with this it can still tell that a
checkpoint's data file is shorter than its index says (a copy or a disk that stopped halfway),
in a fraction of a second. The .index file is a LevelDB-format table (TensorFlow's tensor
bundle): a 48-byte footer locating the index block, whose entries locate the data blocks, whose
entries map each tensor name to a BundleEntryProto (shard_id = field 3, offset = 4, size = 5);
the entry under the empty key is the BundleHeaderProto (num_shards = field 1). Only what the
check needs is decoded. Anything unexpected (a compressed block, another format version) makes
extents() return None, and TensorFlow's own restore has the last word (harness.checkpoints.restore).
"""

import struct

_MAGIC = 0xdb4775248b80fb57


class _Unexpected(Exception):
    pass


def _varint(data, i):
    value = shift = 0
    while True:
        if i >= len(data) or shift > 63:
            raise _Unexpected("truncated varint")
        byte = data[i]
        i += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _fields(message):
    """Protocol buffer wire format -> {field number: last value} (varints and fixed ints as ints,
    length-delimited fields as bytes)."""
    fields, i = {}, 0
    while i < len(message):
        key, i = _varint(message, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(message, i)
        elif wire == 1:
            value, i = struct.unpack_from("<Q", message, i)[0], i + 8
        elif wire == 2:
            length, i = _varint(message, i)
            value, i = message[i:i + length], i + length
        elif wire == 5:
            value, i = struct.unpack_from("<I", message, i)[0], i + 4
        else:
            raise _Unexpected("wire type %d" % wire)
        if i > len(message):
            raise _Unexpected("truncated field")
        fields[number] = value
    return fields


def _block(table, handle):
    """The (key, value) entries of the block at BlockHandle `handle` (offset, size varints)."""
    offset, i = _varint(handle, 0)
    size, _ = _varint(handle, i)
    if offset + size + 5 > len(table) or table[offset + size] != 0:   # trailer: type 0 = uncompressed
        raise _Unexpected("block out of range or compressed")
    block = table[offset:offset + size]
    restarts = struct.unpack_from("<I", block, size - 4)[0]
    end = size - 4 - 4 * restarts
    entries, key, i = [], b"", 0
    while i < end:
        shared, i = _varint(block, i)
        unshared, i = _varint(block, i)
        length, i = _varint(block, i)
        key = key[:shared] + block[i:i + unshared]
        i += unshared
        entries.append((key, block[i:i + length]))
        i += length
    return entries


def extents(index_path):
    """{tensor name: (shard, end offset in that shard's data file)} and the number of shards, as
    (dict, int); None when the file is not a tensor bundle index this reader understands."""
    try:
        with open(str(index_path), "rb") as f:
            table = f.read()
        if len(table) < 48 or struct.unpack_from("<Q", table, len(table) - 8)[0] != _MAGIC:
            return None
        footer = table[-48:]
        _, i = _varint(footer, 0)                   # metaindex handle: offset, size
        _, i = _varint(footer, i)
        shards, ends = 1, {}
        for _, data_handle in _block(table, footer[i:]):
            for key, value in _block(table, data_handle):
                fields = _fields(value)
                if key == b"":
                    shards = fields.get(1, 1)
                else:
                    ends[key.decode("utf-8", "replace")] = (fields.get(3, 0), fields.get(4, 0) + fields.get(5, 0))
        return ends, shards
    except (_Unexpected, struct.error, IndexError, OSError):
        return None
