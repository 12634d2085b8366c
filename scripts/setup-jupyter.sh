#!/usr/bin/env bash
# `npm run setup:jupyter`: install what `npm start` and `npm run notebooks` need from Jupyter.
# Debian/Ubuntu as root: apt-get. Otherwise: print the command to run, and exit 1.
set -euo pipefail

packages=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client)
modules="import notebook, nbclient, nbformat, nbconvert, jupyter_client"

if [ -n "${NB_PYTHON:-}" ]; then
  if "$NB_PYTHON" -c "$modules" 2>/dev/null; then echo "Jupyter is already installed (NB_PYTHON=$NB_PYTHON)."; exit 0; fi
  echo "NB_PYTHON=$NB_PYTHON cannot import Jupyter: install notebook, nbclient and nbconvert into it, or unset NB_PYTHON." >&2
  exit 1
fi

# Debian's Python modules load only in the system interpreter, which may not be the first python3 on PATH.
for py in /usr/bin/python3 python3; do
  if "$py" -c "$modules" 2>/dev/null; then
    echo "Jupyter is already installed (found by $py)."
    exit 0
  fi
done

if [ -r /etc/debian_version ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing ${packages[*]} with apt-get ..."
    # Wait for another apt/dpkg run (unattended upgrades, a provisioning script) instead of failing at once.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${packages[@]}"
    /usr/bin/python3 -c "$modules"
    echo "Jupyter installed. Next: npm start"
    exit 0
  fi
  cat >&2 <<EOF
Jupyter is missing. Installing system packages needs root; run:

    sudo apt-get update && sudo apt-get install -y ${packages[*]}

then: npm start
EOF
  exit 1
fi

cat >&2 <<'EOF'
Jupyter is missing, and this is not a Debian/Ubuntu system (or apt-get is unavailable). Install it with pip
into the Python you want to use, for example:

    python3 -m pip install notebook nbclient nbconvert

If that Python is not /usr/bin/python3 or the first python3 on PATH, point the scripts at it:

    NB_PYTHON=/path/to/python npm start
EOF
exit 1
