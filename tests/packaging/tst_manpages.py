# SPDX-License-Identifier: Apache-2.0
"""Man pages and completions that match the programs: every page formats without a groff
warning; every option that `herald-syncd --help` (and each command's --help) and
`herald --help` print is in the page and the bash completion; every INI key and environment
variable the config loader reads is in herald-syncd.ini(5), and the shipped INI file uses no
key the loader does not know. The completions are run through bash-completion as bash would.

Usage: tst_manpages.py SOURCE_DIR HERALD_SYNCD [HERALD]
"""
import os
import re
import subprocess
import sys

from packagingtest import Checks, run

SUBCOMMANDS = ["token", "user", "publish", "watch", "endpoint", "behavior", "prefs"]  # app and channel
# share user's options
COMPLETE = r'''
source /usr/share/bash-completion/bash_completion
source "$1"; function=$2; COMP_LINE=$3; COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
$function
printf '%s\n' "${COMPREPLY[@]}"
'''


def long_options(help_text):
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", help_text))


def man_text(source, page):
    text = open(os.path.join(source, "packaging", "man", page), encoding="utf-8").read()
    return text.replace("\\-", "-")


def completion(source, script, function, line):
    path = os.path.join(source, "packaging", "completions", script)
    out = run(["bash", "-c", COMPLETE, "complete", path, function, line]).stdout
    return set(out.split())


def main(source, syncd, client=None):
    t = Checks("tst_manpages")
    pages = ["herald-syncd.1", "herald-syncd.ini.5"] + (["herald.1"] if client else [])
    for page in pages:
        result = run(["groff", "-man", "-ww", "-z", os.path.join(source, "packaging", "man", page)],
                     check=False)
        t.check(f"{page}: groff -ww gives no warning", result.returncode == 0 and
                not result.stderr, result.stderr)

    daemon = long_options(run([syncd, "--help"]).stdout)
    commands = set()
    for command in SUBCOMMANDS:
        commands |= long_options(run([syncd, command, "--help"], check=False).stdout)
    page = man_text(source, "herald-syncd.1")
    script = open(os.path.join(source, "packaging", "completions", "herald-syncd")).read()
    for option in sorted(daemon | commands):
        t.check(f"herald-syncd.1 documents {option}", re.search(re.escape(option) + r"\b", page))
        t.check(f"herald-syncd completion knows {option}", option in script)

    config_dir = os.path.join(source, "syncd", "config")
    loader = "".join(open(os.path.join(config_dir, name), encoding="utf-8").read()
                     for name in sorted(os.listdir(config_dir)) if name.endswith(".cpp"))
    keys = set(re.findall(r'u"([a-z]+/[A-Za-z]+)"_s', loader))
    variables = set(re.findall(r'u"(HERALD_[A-Z_]+|CREDENTIALS_DIRECTORY)"_s', loader))
    t.check("config loader: keys and variables found", len(keys) > 20 and len(variables) > 20,
            (keys, variables))
    ini_page = man_text(source, "herald-syncd.ini.5")
    for key in sorted(keys):
        t.check(f"herald-syncd.ini.5 documents {key}", re.search(re.escape(key) + r"\b", ini_page))
    for variable in sorted(variables - {"HERALD_CONFIG", "CREDENTIALS_DIRECTORY"}):
        t.check(f"herald-syncd.ini.5 documents {variable}", variable in ini_page)
    for variable in ("HERALD_CONFIG", "CREDENTIALS_DIRECTORY", "HERALD_TOKEN"):
        t.check(f"herald-syncd.1 documents {variable}", variable in page)

    section = None
    for line in open(os.path.join(source, "packaging", "herald-syncd.ini"), encoding="utf-8"):
        line = line.strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif line and not line.startswith(";"):
            key = f"{section}/{line.split('=', 1)[0].strip()}"
            t.check(f"packaging/herald-syncd.ini: {key} is a setting", key in keys)

    got = completion(source, "herald-syncd", "_herald_syncd", "herald-syncd --cluster-s")
    t.check("completion: herald-syncd --cluster-s<TAB>",
            got == {"--cluster-secret", "--cluster-secret-file"}, got)
    got = completion(source, "herald-syncd", "_herald_syncd", "herald-syncd token --kind ")
    t.check("completion: herald-syncd token --kind <TAB>",
            got == {"admin", "producer", "user", "feed"}, got)
    got = completion(source, "herald-syncd", "_herald_syncd", "herald-syncd wa")
    t.check("completion: herald-syncd wa<TAB>", got == {"watch"}, got)

    if client:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        options = long_options(run([client, "--help"], env=env).stdout)
        page = man_text(source, "herald.1")
        script = open(os.path.join(source, "packaging", "completions", "herald")).read()
        for option in sorted(options):
            t.check(f"herald.1 documents {option}", re.search(re.escape(option) + r"\b", page))
            t.check(f"herald completion knows {option}", option in script)
        got = completion(source, "herald", "_herald", "herald --st")
        t.check("completion: herald --st<TAB>", got == {"--status"}, got)
    t.done()


if __name__ == "__main__":
    main(*sys.argv[1:])
