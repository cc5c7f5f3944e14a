"""Check a .storage/http file from stdin against Home Assistant's storage schema (types as HA writes
them) and print it back as JSON (keys in file order). Exit 1 with a message on any violation."""
import json
import sys

raw = sys.stdin.buffer.read().decode("utf-8")
doc = json.loads(raw)
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


check(isinstance(doc, dict), "root is not an object")
check(is_int(doc.get("version")), "version is not an int")
check(is_int(doc.get("minor_version")), "minor_version is not an int")
check(doc.get("key") == "http", "key is not http")
data = doc.get("data")
check(isinstance(data, dict), "data is not an object")
if isinstance(data, dict):
    check(isinstance(data.get("yaml_migration_done"), bool), "yaml_migration_done is not a bool")
    check(data.get("pending") is None or isinstance(data.get("pending"), dict), "pending is not null or an object")
    for name in ("stable", "pending"):
        settings = data.get(name)
        if name == "stable":
            check(isinstance(settings, dict), "stable is not an object")
        if not isinstance(settings, dict):
            continue
        types = {"server_port": is_int, "login_attempts_threshold": is_int,
                 "use_x_forwarded_for": lambda v: isinstance(v, bool), "ip_ban_enabled": lambda v: isinstance(v, bool),
                 "use_x_frame_options": lambda v: isinstance(v, bool), "ssl_profile": lambda v: isinstance(v, str),
                 "cors_allowed_origins": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
                 "trusted_proxies": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)}
        for key in ("created_at", "error", "error_message"):
            if key in settings:
                check(settings[key] is None or isinstance(settings[key], str), f"{name}.{key} has the wrong type")
        if name == "stable" and "error" in settings:
            check(settings["error"] is None, "stable.error is not null")
        for key, ok in types.items():
            if key in settings:
                check(ok(settings[key]), f"{name}.{key} has the wrong type")
if problems:
    sys.exit("; ".join(problems))
print(json.dumps(doc))
