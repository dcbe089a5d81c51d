# SPDX-License-Identifier: Apache-2.0
"""The end of a soak: one JSON line per check, then a short summary for people."""
import json


class Verdict:
    def __init__(self):
        self.checks = []

    def check(self, name, ok, **numbers):
        self.checks.append({"check": name, "ok": bool(ok), **numbers})

    @property
    def passed(self):
        return bool(self.checks) and all(c["ok"] for c in self.checks)

    def json_lines(self):
        lines = [json.dumps(c, sort_keys=False) for c in self.checks]
        lines.append(json.dumps({"check": "soak", "ok": self.passed,
                                 "failed": [c["check"] for c in self.checks if not c["ok"]]}))
        return lines

    def summary(self, headline):
        failed = [c["check"] for c in self.checks if not c["ok"]]
        status = "PASS" if self.passed else "FAIL (" + ", ".join(failed) + ")"
        return "\n".join([f"soak: {status}"] + [f"  {line}" for line in headline])
