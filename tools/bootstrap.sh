#!/bin/sh
# Create a virtual environment with Python >= 3.12 (or reuse it) and install armsim into it,
# editable, with its core dependencies and the given extras.
# Usage: tools/bootstrap.sh VENV_DIR [EXTRAS]   e.g. tools/bootstrap.sh .venv test,viz
set -eu
VENV="${1:-.venv}"
EXTRAS="${2:-}"

is_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 \
        "$HOME/.pyenv/versions/3.12.1/bin/python3" /usr/bin/python3.12 /usr/bin/python3.13; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && is_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' || true); do
            p="$(pyenv root)/versions/$v/bin/python3"
            if is_ok "$p"; then echo "$p"; return 0; fi
        done
    fi
    return 1
}

if [ -x "$VENV/bin/python" ] && is_ok "$VENV/bin/python"; then
    PY="$VENV/bin/python"
else
    if ! BASE="$(find_python)"; then
        echo "armsim needs Python 3.12 or newer, and none was found." >&2
        echo "Install one (e.g. 'pyenv install 3.12', or your system's python3.12 package)," >&2
        echo "or point to it: make PYTHON=/path/to/python3.12 test" >&2
        exit 1
    fi
    echo "creating $VENV with $BASE ($("$BASE" --version 2>&1))"
    rm -rf "$VENV"
    "$BASE" -m venv "$VENV"
    PY="$VENV/bin/python"
fi
"$PY" -m pip install --quiet --upgrade pip
if [ -n "$EXTRAS" ]; then
    echo "installing armsim with [$EXTRAS] into $VENV"
    "$PY" -m pip install --quiet -e ".[$EXTRAS]"
else
    echo "installing armsim into $VENV"
    "$PY" -m pip install --quiet -e .
fi
