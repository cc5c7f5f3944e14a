"""The YAML oracle for HomeAssistantTests: load two configuration.yaml files with PyYAML the way Home
Assistant's loader sees them (YAML 1.1, HA's local tags accepted), and check that the edited one differs
from the original only in http's use_x_forwarded_for and trusted_proxies, which must equal what is expected.

usage: ha_yaml_check.py ORIGINAL EDITED EXPECTED_JSON
EXPECTED_JSON: {"http_absent": true} or {"use_x_forwarded_for": true, "trusted_proxies": [...]}
(a setting missing from EXPECTED_JSON must be missing from the edited http). Prints the edited http as JSON."""
import json
import sys

import yaml


class HALoader(yaml.SafeLoader):
    pass


def tagged(loader, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"tag": node.tag, "value": value}


for tag in ["!include", "!include_dir_list", "!include_dir_merge_list", "!include_dir_named",
            "!include_dir_merge_named", "!secret", "!env_var", "!input"]:
    HALoader.add_constructor(tag, tagged)


def load(path):
    with open(path, "rb") as handle:
        data = yaml.load(handle, Loader=HALoader)
    if data is None:
        return {}
    if not isinstance(data, dict):
        sys.exit(f"{path}: the top level is not a mapping")
    return data


original, edited, expected = load(sys.argv[1]), load(sys.argv[2]), json.loads(sys.argv[3])
ours = ("use_x_forwarded_for", "trusted_proxies")
old_http, new_http = original.pop("http", None) or {}, edited.pop("http", "<absent>")
if original != edited:
    changed = sorted(k for k in set(original) | set(edited) if original.get(k) != edited.get(k))
    sys.exit(f"top-level keys other than http changed: {changed}")
if expected.get("http_absent"):
    if new_http != "<absent>":
        sys.exit(f"http should be absent, found {new_http!r}")
    print("null")
    sys.exit(0)
if new_http == "<absent>":
    sys.exit("http is missing")
new_http = new_http or {}
for key in ours:
    if key in expected:
        if key not in new_http:
            sys.exit(f"http.{key} is missing")
        if new_http[key] != expected[key] or type(new_http[key]) is not type(expected[key]):
            sys.exit(f"http.{key} is {new_http[key]!r}, expected {expected[key]!r}")
    elif key in new_http:
        sys.exit(f"http.{key} should be absent, found {new_http[key]!r}")
others_old = {k: v for k, v in old_http.items() if k not in ours}
others_new = {k: v for k, v in new_http.items() if k not in ours}
if others_old != others_new:
    sys.exit(f"other http keys changed: {others_old!r} -> {others_new!r}")
print(json.dumps(new_http, default=str, sort_keys=True))
