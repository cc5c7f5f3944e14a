"""Print the JSON on stdin as Home Assistant's storage writes it: indent 2, keys in their order, no final newline."""
import json
import sys

print(json.dumps(json.loads(sys.stdin.buffer.read()), indent=2, ensure_ascii=False), end="")
