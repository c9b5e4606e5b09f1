"""tf.contrib.training.HParams / parse_values: TF 1.15's parsing, casting and error rules, and the
NMT-style usage (tensorflow/nmt builds its hparams with add_hparam, overrides them from flags
with parse, and saves / restores them as JSON)."""

import json

import pytest

from conftest import tf


def hparams(**kwargs):
    return tf.contrib.training.HParams(**kwargs)


def standard():
    return hparams(learning_rate=0.1, num_layers=2, unit_type="lstm", attention=False, layers=[64, 32],
                   dropouts=[0.1, 0.2], names=["a", "b"])


@pytest.mark.parametrize("text, expected", [
    ("learning_rate=0.5", {"learning_rate": 0.5}),
    ("num_layers=4,unit_type=gru", {"num_layers": 4, "unit_type": "gru"}),
    ("learning_rate=3", {"learning_rate": 3.0}),                 # int text for a float: float
    ("attention=true", {"attention": True}),
    ("attention=False", {"attention": False}),
    ("attention=1", {"attention": True}),
    ("attention=0", {"attention": False}),
    ("layers=[8, 4,2]", {"layers": [8, 4, 2]}),
    ("layers=[]", {"layers": []}),
    ("names=[x y,z]", {"names": ["x", "y", "z"]}),
    ("unit_type=", {"unit_type": ""}),
    ("num_layers = 3,  learning_rate=1e-3", {"num_layers": 3, "learning_rate": 1e-3}),
    ("layers[1]=9", {"layers": {1: 9}}),
    ("layers[0]=7,layers[2]=5", {"layers": {0: 7, 2: 5}}),
])
def test_parse_values(text, expected):
    types = {"learning_rate": float, "num_layers": int, "unit_type": str, "attention": bool, "layers": int,
             "names": str}
    assert tf.contrib.training.parse_values(text, types) == expected


@pytest.mark.parametrize("text, message", [
    ("num_layers=2.5", "Could not parse hparam 'num_layers' of type 'int' with value '2.5'"),
    ("attention=maybe", "Could not parse hparam 'attention' of type 'bool'"),
    ("layers=[1,x]", "Could not parse hparam 'layers' of type 'int' with value '1,x'"),
    ("num_layers=1,num_layers=2", "Multiple assignments to variable 'num_layers'"),
    ("layers[1]=1,layers[1]=2", r"Multiple assignments to variable 'layers\[1\]'"),
    ("layers=[1],layers[0]=2", "Multiple assignments to variable 'layers'"),
    ("layers[0]=[1,2]", "Assignment of a list to a list index"),
    ("depth=3", "Unknown hyperparameter type for depth"),
    ("num_layers", "Malformed hyperparameter value: num_layers"),
    ("1x=2", "Malformed hyperparameter value"),
])
def test_parse_values_errors(text, message):
    types = {"num_layers": int, "attention": bool, "layers": int}
    with pytest.raises(ValueError, match=message):
        tf.contrib.training.parse_values(text, types)


def test_unknown_names_can_be_ignored():
    assert tf.contrib.training.parse_values("depth=3,n=2", {"n": int}, ignore_unknown=True) == {"n": 2}


def test_parse_overrides_with_types_kept():
    hp = standard().parse("learning_rate=1,layers=[5],names=[c],unit_type=gru")
    assert hp.learning_rate == 1.0 and isinstance(hp.learning_rate, float)
    assert hp.layers == [5] and hp.names == ["c"] and hp.unit_type == "gru"
    assert hp.values() == {"learning_rate": 1.0, "num_layers": 2, "unit_type": "gru", "attention": False,
                           "layers": [5], "dropouts": [0.1, 0.2], "names": ["c"]}


@pytest.mark.parametrize("name, value, message", [
    ("num_layers", 2.5, "Could not cast hparam 'num_layers'"),
    ("learning_rate", True, "Could not cast hparam 'learning_rate'"),
    ("attention", 1, "Could not cast hparam 'attention'"),
    ("unit_type", 3, "Could not cast hparam 'unit_type'"),
    ("num_layers", [1], "Must not pass a list for single-valued parameter: num_layers"),
    ("layers", 3, "Must pass a list for multi-valued parameter: layers"),
    ("layers", [1, 2.5], "Could not cast hparam 'layers'"),
])
def test_set_hparam_type_errors(name, value, message):
    with pytest.raises(ValueError, match=message):
        standard().set_hparam(name, value)


def test_set_add_del_contains_get():
    hp = standard()
    hp.set_hparam("learning_rate", 2)
    assert hp.learning_rate == 2.0 and type(hp.learning_rate) is float
    with pytest.raises(KeyError):
        hp.set_hparam("missing", 1)
    hp.add_hparam("beam_width", 10)
    assert "beam_width" in hp and hp.get("beam_width") == 10 and hp.get("nope", 7) == 7
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: beam_width"):
        hp.add_hparam("beam_width", 3)
    with pytest.raises(ValueError, match="reserved: values"):
        hp.add_hparam("values", 3)
    with pytest.raises(ValueError, match="cannot be empty: empty"):
        hp.add_hparam("empty", [])
    hp.del_hparam("beam_width")
    assert "beam_width" not in hp and not hasattr(hp, "beam_width")
    with pytest.raises(ValueError, match="is incompatible with default=x"):
        hp.get("num_layers", "x")
    with pytest.raises(ValueError, match="incompatible"):
        hp.get("layers", 3)
    assert hp.get("layers", [1]) == [64, 32]


def test_json_round_trip_and_override_from_dict():
    hp = standard()
    text = hp.to_json(sort_keys=True)
    assert json.loads(text) == hp.values()
    other = standard().parse_json(json.dumps({"num_layers": 6, "dropouts": [0.5]}))
    assert other.num_layers == 6 and other.dropouts == [0.5]
    assert standard().override_from_dict({"unit_type": "nas"}).unit_type == "nas"
    with pytest.raises(ValueError):
        standard().parse_json('{"num_layers": 1.5}')


def test_str_repr_and_model_structure():
    hp = hparams(b=1, a="x")
    assert str(hp) == "b=1,a=x"
    assert repr(hp) == "HParams([('a', 'x'), ('b', 1)])"
    hp.set_model_structure({"layers": 2})
    assert hp.get_model_structure() == {"layers": 2}


def test_nmt_style_flags_then_json(tmp_path):
    """tensorflow/nmt's pattern: defaults from flags, add_hparam for derived values, overrides
    from a "name=value" string, saved as hparams JSON and loaded into fresh defaults."""
    hp = hparams(src="vi", tgt="en", num_units=32, num_layers=2, learning_rate=1.0, metrics=["bleu"],
                 attention="", beam_width=0)
    hp.add_hparam("num_encoder_layers", hp.num_layers)
    hp.add_hparam("src_vocab_size", 17191)
    hp.parse("num_units=128,metrics=[bleu,rouge],attention=scaled_luong")
    path = tmp_path / "hparams"
    path.write_text(hp.to_json())
    loaded = hparams(src="vi", tgt="en", num_units=32, num_layers=2, learning_rate=1.0, metrics=["bleu"],
                     attention="", beam_width=0)
    for key, value in json.loads(path.read_text()).items():
        if key in loaded:
            loaded.set_hparam(key, value)
        else:
            loaded.add_hparam(key, value)
    assert loaded.values() == hp.values()
    assert loaded.metrics == ["bleu", "rouge"] and loaded.num_encoder_layers == 2
