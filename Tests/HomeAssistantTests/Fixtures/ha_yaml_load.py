"""Load a Home Assistant configuration.yaml from stdin the way HA's loader sees it (YAML 1.1 via
PyYAML, HA's local tags accepted) and print JSON: {"http": <http value>, "others": {<other top-level keys>}}.
Tagged values become {"!tag": value} so the test can check they survived unchanged."""
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
    return {node.tag: value}


for tag in ["!include", "!include_dir_list", "!include_dir_merge_list", "!include_dir_named",
            "!include_dir_merge_named", "!secret", "!env_var", "!input"]:
    HALoader.add_constructor(tag, tagged)

data = yaml.load(sys.stdin.buffer.read(), Loader=HALoader)
if data is None:
    data = {}
if not isinstance(data, dict):
    sys.exit("top level is not a mapping")
http = data.pop("http", "<absent>")
print(json.dumps({"http": http, "others": data}, default=str, sort_keys=True))
