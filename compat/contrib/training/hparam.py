"""tf.contrib.training.HParams and parse_values (TF 1.15: contrib/training/python/training/hparam.py).

Plain Python, so TF 2.x needs nothing of its own: hyperparameters as attributes, each with the type
of its first value (a list's: its first element's), and TF 1.15's rules for parsing
"name=value,list=[1,2],name[3]=value", for casting and for the errors it raised. Not provided:
to_proto / from_proto (TF 2.x ships no HParamDef proto); the rest of the API is TF 1.15's.
"""

import json
import numbers
import re

__all__ = ["HParams", "parse_values"]

# name, optional [index], '=', then one value (no ',' or '[') or a bracketed list; ends the string
# or is followed by a comma.
_ASSIGNMENT = re.compile(r"(?P<name>[a-zA-Z][\w.]*)(\[\s*(?P<index>\d+)\s*\])?\s*=\s*"
                         r"((?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])($|,\s*)")


def _cannot_parse(name, var_type, value, values):
    raise ValueError("Could not parse hparam '%s' of type '%s' with value '%s' in %s"
                     % (name, var_type.__name__, value, values))


def _assigned_twice(name, values):
    raise ValueError("Multiple assignments to variable '%s' in %s" % (name, values))


def _bool_parser(name, values):
    def parse(text):
        if text in ("true", "True"):
            return True
        if text in ("false", "False"):
            return False
        try:
            return bool(int(text))
        except ValueError:
            _cannot_parse(name, bool, text, values)
    return parse


def _store_scalar(name, parse, var_type, match, values, parsed):
    try:
        value = parse(match["val"])
    except ValueError:
        _cannot_parse(name, var_type, match["val"], values)
    if not match["index"]:
        if name in parsed:
            _assigned_twice(name, values)
        parsed[name] = value
        return
    if name in parsed and not isinstance(parsed[name], dict):
        _assigned_twice(name, values)
    by_index = parsed.setdefault(name, {})
    index = int(match["index"])
    if index in by_index:
        _assigned_twice("%s[%d]" % (name, index), values)
    by_index[index] = value


def _store_list(name, parse, var_type, match, values, parsed):
    if match["index"] is not None:
        raise ValueError("Assignment of a list to a list index.")
    if name in parsed:
        _assigned_twice(name, values)
    try:
        parsed[name] = [parse(item) for item in re.split("[ ,]", match["vals"]) if item]
    except ValueError:
        _cannot_parse(name, var_type, match["vals"], values)


def parse_values(values, type_map, ignore_unknown=False):
    """{name: value} from "a=1,b=[x,y],c[2]=3" by the types in type_map ({name: type}); an indexed
    assignment gives {name: {index: value}}. ValueError on malformed text, unknown names (unless
    ignore_unknown), unparsable values and names assigned twice."""
    parsed = {}
    position = 0
    while position < len(values):
        found = _ASSIGNMENT.match(values, position)
        if not found:
            raise ValueError("Malformed hyperparameter value: %s" % values[position:])
        position = found.end()
        match = found.groupdict()
        name = match["name"]
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError("Unknown hyperparameter type for %s" % name)
        var_type = type_map[name]
        parse = _bool_parser(name, values) if var_type == bool else var_type
        if match["val"] is not None:
            _store_scalar(name, parse, var_type, match, values, parsed)
        elif match["vals"] is not None:
            _store_list(name, parse, var_type, match, values, parsed)
        else:
            _cannot_parse(name, var_type, "", values)
    return parsed


def _cast(name, param_type, value):
    """value as param_type when TF 1.15 allowed it (int -> float yes; float -> int, bool <-> number,
    non-string -> string no: ValueError)."""
    if type(value) == param_type:  # noqa: E721  (exact type, as TF 1.15 checked)
        return value
    if issubclass(param_type, type(None)):
        return value
    refused = ((issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes)))
               or issubclass(param_type, bool) != isinstance(value, bool)
               or (issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral))
               or (issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number)))
    if refused:
        raise ValueError("Could not cast hparam '%s' of type '%s' from value %r" % (name, param_type, value))
    return param_type(value)


class HParams(object):
    """Named hyperparameters: HParams(learning_rate=0.1, layers=[64, 32]); hparams.parse("layers=[8]")."""

    _HAS_DYNAMIC_ATTRIBUTES = True

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        self._hparam_types = {}  # name -> (type, is_list)
        self._model_structure = model_structure
        if hparam_def:
            raise ValueError("HParams(hparam_def=...) needs TF 1.15's HParamDef proto, which TF 2.x does not "
                             "ship; pass the values as keyword arguments")
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name, value):
        """A new hyperparameter; its type is value's (a list's first element's)."""
        if getattr(self, name, None) is not None:
            raise ValueError("Hyperparameter name is reserved: %s" % name)
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError("Multi-valued hyperparameters cannot be empty: %s" % name)
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """Set an existing hyperparameter, cast to its type (KeyError if unknown)."""
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError("Must not pass a list for single-valued parameter: %s" % name)
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError("Must pass a list for multi-valued parameter: %s." % name)
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name):
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Override from "name=value,..." text (parse_values' rules); returns self."""
        type_map = {name: param_type for name, (param_type, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_from_map(self, values_map):
        """Deprecated in TF 1.15: override_from_dict."""
        return self.override_from_dict(values_dict=values_map)

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        return json.dumps(self.values(), indent=indent, separators=separators, sort_keys=sort_keys)

    def parse_json(self, values_json):
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        """The value of `key`, else default; a default of the wrong kind or type is a ValueError."""
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_list = self._hparam_types[key]
            kind = "list<%s>" % param_type if is_list else str(param_type)
            problem = "Hparam '%s' of type '%s' is incompatible with default=%s" % (key, kind, default)
            if is_list != isinstance(default, list):
                raise ValueError(problem)
            try:
                for value in (default if is_list else [default]):
                    _cast(key, param_type, value)
            except ValueError as e:
                raise ValueError("%s. %s" % (problem, e))
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return ",".join("%s=%s" % item for item in self.values().items())

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, sorted(self.values().items()))
