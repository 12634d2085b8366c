#!/usr/bin/python3
"""Execute tslab notebooks headless with nbclient, cell by cell, and fail loudly on any error.

Run through `npm run notebooks` (scripts/run-notebooks.js), which builds the library, writes the
project-local tslab kernelspec and sets JUPYTER_PATH; calling this file directly needs that environment.

Why cell by cell with our own checks: tslab reports errors only as stderr text (no `error` outputs), and
after an error it drops execute requests arriving within 200 ms, so later cells come back silently empty
(status "abort") while nbclient still numbers them. The execute_reply status is the reliable signal;
stderr patterns and a watcher inside the kernel catch asynchronous errors (tslab reports those with
status "ok", under whichever cell is running, or nowhere if none is).

A cell tagged `raises-exception` (Jupyter's convention) must fail; the run then continues after it.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import re
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

KERNEL_NAME = "tslab"
KERNELSPEC_METADATA = {"name": KERNEL_NAME, "display_name": "TypeScript", "language": "typescript"}

# What tslab writes to stderr for real errors (see node_modules/tslab/dist/main.js and executor.js):
#   "UncaughtException: Error: ..."          an exception thrown from a timer/callback
#   "UnhandledPromiseRejection: Error: ..."  a rejected promise nobody awaited
#   "3:7 - Cannot find name 'x'."            a TypeScript diagnostic (file name first for modules)
# Anything else on stderr (console.warn/console.error) is printed but is not a failure.
ERROR_PATTERNS = [
    ("uncaught exception", re.compile(r"^UncaughtException: ", re.M)),
    ("unhandled promise rejection", re.compile(r"^UnhandledPromiseRejection: ", re.M)),
    ("TypeScript error", re.compile(r"^(?:\S+ )?\d+:\d+ - ", re.M)),
]

# Cell metadata that changes on every run and would make committed notebooks diff for nothing.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")

# Hidden cells (run by the runner, never saved). An error thrown by a timer *between* two cells is
# printed by tslab under the previous cell's request, which nbclient has stopped listening to, so its
# text is lost. The watch cell records every such error in the kernel; the final cell waits for
# pending timers and reads the record back.
WATCH_SOURCE = """{
  const record: string[] = ((globalThis as any).__nbRunnerAsyncErrors = []);
  const text = (e: any) => String((e && e.stack) || e);
  process.on("uncaughtException", (e) => record.push("UncaughtException: " + text(e)));
  process.on("unhandledRejection", (e) => record.push("UnhandledPromiseRejection: " + text(e)));
}"""
FINAL_SOURCE = """await new Promise((resolve) => setTimeout(resolve, 100));
console.log("__nbRunnerAsyncErrors=" + JSON.stringify((globalThis as any).__nbRunnerAsyncErrors));"""

EXPECTED_ERROR_TAG = "raises-exception"

STDERR_LINES_SHOWN = 30
# Stack frames inside tslab and Node's vm say nothing about the notebook; left out of the report only.
INTERNAL_FRAME = re.compile(r"^\s+at .*(?:node:vm|node:internal|/node_modules/tslab/|sigintHandlersWrap)")
SOURCE_LINES_SHOWN = 12


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="npm run notebooks --",
        description="Execute notebooks headless under the tslab kernel and save their outputs.",
        epilog="npm run notebooks also takes --no-build (skip `npm run build`). Exit status: 0 if every "
               "notebook ran cleanly, 1 otherwise. Failed notebooks are saved as NAME.failed.ipynb "
               "(next to the output), never over the original.",
    )
    p.add_argument("patterns", nargs="*", metavar="NOTEBOOK",
                   help="notebook files, or names/globs/prefixes matched in the notebooks folder (default: all)")
    p.add_argument("--dir", default=None, help="notebooks folder (default: <project>/notebooks)")
    p.add_argument("--quick", action="store_true", help="set NB_QUICK=1 in the kernel's environment")
    p.add_argument("--out", metavar="DIR", help="write executed copies to DIR instead of in place")
    p.add_argument("--timeout", type=int, default=1200, metavar="SEC", help="per-cell timeout (default 1200)")
    p.add_argument("--startup-timeout", type=int, default=60, metavar="SEC", help="kernel start timeout")
    p.add_argument("--keep-going", action="store_true",
                   help="run the remaining cells of a notebook after a failing cell (default: stop that notebook)")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first failing notebook")
    p.add_argument("--no-error-wait", action="store_true",
                   help="with --keep-going, send the next cell at once after a failure, so that tslab drops it "
                        "(only to test that dropped cells are detected)")
    return p.parse_args(argv)


def project_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shown(path):
    """Paths inside the current folder relative (short logs), others absolute."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def is_candidate(name):
    return name.endswith(".ipynb") and not name.endswith(".failed.ipynb")


def select_notebooks(patterns, folder):
    """Explicit files as given; other patterns match names in `folder` as globs, exact names or prefixes."""
    available = sorted(n for n in os.listdir(folder) if is_candidate(n)) if os.path.isdir(folder) else []
    if not patterns:
        return [os.path.join(folder, n) for n in available]
    chosen = []
    for pat in patterns:
        if os.path.isfile(pat):
            matches = [os.path.abspath(pat)]
        else:
            names = [n for n in available
                     if fnmatch.fnmatch(n, pat) or n == pat + ".ipynb" or n.startswith(pat)]
            matches = [os.path.join(folder, n) for n in names]
        if not matches:
            raise SystemExit(f"run-notebooks: no notebook matches {pat!r} in {folder}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def ensure_cell_ids(nb):
    """Give every cell a unique id (nbformat 4.5 requires them); existing ids are kept, so diffs stay small."""
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    seen = set()
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if not cid or cid in seen or not re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", cid):
            digest = hashlib.sha1(f"{index}\0{cell.source}".encode()).hexdigest()
            cid = digest[:12]
            while cid in seen:
                cid = hashlib.sha1(cid.encode()).hexdigest()[:12]
            cell["id"] = cid
        seen.add(cid)


def normalise(nb):
    nb.metadata["kernelspec"] = dict(KERNELSPEC_METADATA)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)


def stderr_text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


def cell_problems(cell, reply):
    """Reasons this executed code cell counts as failed (empty list if it passed)."""
    problems = []
    if reply is None:
        problems.append("no execute_reply from the kernel")
    else:
        status = reply["content"].get("status")
        if status == "error":
            problems.append("the kernel reported an error")
        elif status == "abort":
            problems.append("tslab dropped this cell without running it (status 'abort': it arrived "
                            "within 200 ms of an earlier error), so its output is empty")
        elif status != "ok":
            problems.append(f"unexpected execute_reply status {status!r}")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            problems.append(f"error output {out.get('ename')}: {out.get('evalue')}")
    err = stderr_text(cell)
    for label, pattern in ERROR_PATTERNS:
        if pattern.search(err):
            problems.append(f"{label} on stderr")
    return problems


def indent(text, limit, prefix="    | "):
    lines = text.rstrip("\n").split("\n")
    shown = lines[:limit]
    more = [f"... ({len(lines) - limit} more lines)"] if len(lines) > limit else []
    return "\n".join(prefix + line for line in shown + more)


def write_notebook(nb, path):
    """Atomic write, so an interrupted run never leaves a truncated notebook behind."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)


class Failure(Exception):
    pass


def kill_kernel(client):
    """Interrupted: nbclient's own cleanup cannot be trusted mid-await, and an orphaned tslab would live on."""
    km = client.km
    if km is None:
        return
    proc = getattr(getattr(km, "provisioner", None), "process", None) or getattr(km, "kernel", None)
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)
    try:
        km.cleanup_connection_file()
    except Exception:
        pass


class Runner:
    def __init__(self, args):
        self.args = args
        self.interrupted = False
        self.env = dict(os.environ)
        if args.quick:
            self.env["NB_QUICK"] = "1"

    def run_notebook(self, path, out_path):
        """Executes one notebook; returns (ok, seconds). Writes the result or a .failed.ipynb copy."""
        rel = shown(path)
        print(f"\n=== {rel}", flush=True)
        started = time.monotonic()
        nb = nbformat.read(path, as_version=4)
        previous_outputs = [bool(c.get("outputs")) for c in nb.cells]
        ensure_cell_ids(nb)
        normalise(nb)
        replies = {}

        def on_executed(cell, cell_index, execute_reply):
            replies[cell_index] = execute_reply

        client = NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            timeout=self.args.timeout,
            startup_timeout=self.args.startup_timeout,
            allow_errors=True,  # we judge each cell ourselves; nbclient misses tslab's stderr-only errors
            record_timing=False,
            # The kernel's working directory is the notebook's own folder even with --out,
            # so `import ... from "../dist"` resolves as it does in Jupyter.
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
            on_cell_executed=on_executed,
        )
        failures = []
        try:
            # The synchronous API on purpose: the async one traps SIGINT, and Ctrl-C must stop the whole run.
            with client.setup_kernel(env=self.env):
                self._kernel_info(client, started)
                self._watch_async_errors(client, nb, failures)
                self._execute_cells(client, nb, replies, failures, previous_outputs)
        except Failure:
            pass
        except BaseException as exc:
            if self.interrupted or isinstance(exc, KeyboardInterrupt):
                kill_kernel(client)
                raise KeyboardInterrupt() from None
            # kernel start failure, dead kernel, ...: report it and keep the partial notebook
            failures.append((None, [f"{type(exc).__name__}: {exc}"]))
        normalise(nb)
        seconds = time.monotonic() - started
        failed_path = re.sub(r"\.ipynb$", "", out_path) + ".failed.ipynb"
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError as exc:
            failures.append((None, [f"the executed notebook is not valid nbformat: {exc.message}"]))
        if failures:
            self._report(rel, nb, failures)
            write_notebook(nb, failed_path)
            print(f"--- FAILED {rel} after {seconds:.1f} s; partial notebook: {shown(failed_path)}", flush=True)
            return False, seconds
        write_notebook(nb, out_path)
        if os.path.exists(failed_path):
            os.remove(failed_path)
        print(f"--- ok {rel} in {seconds:.1f} s -> {shown(out_path)}", flush=True)
        return True, seconds

    def _kernel_info(self, client, started):
        msg_id = client.kc.kernel_info()
        info = client.wait_for_reply(msg_id)
        if info is not None and "language_info" in info["content"]:
            client.nb.metadata["language_info"] = info["content"]["language_info"]
        print(f"    kernel ready in {time.monotonic() - started:.2f} s", flush=True)

    def _execute_cells(self, client, nb, replies, failures, previous_outputs):
        count = 0
        for index, cell in enumerate(list(nb.cells)):
            if cell.cell_type != "code":
                continue
            if not cell.source.strip():
                cell.outputs, cell.execution_count = [], None
                continue
            t0 = time.monotonic()
            try:
                count += 1
                client.execute_cell(cell, index, execution_count=count)
            except CellTimeoutError:
                failures.append((index, [f"timed out after {self.args.timeout:g} s (--timeout)"]))
                raise Failure()
            except DeadKernelError:
                failures.append((index, ["the kernel died (process.exit? out of memory?)"]))
                raise Failure()
            cell = nb.cells[index]
            elapsed = time.monotonic() - t0
            if elapsed >= 2:
                print(f"    cell {index}: {elapsed:.1f} s", flush=True)
            problems = cell_problems(cell, replies.get(index))
            err = stderr_text(cell)
            if EXPECTED_ERROR_TAG in cell.metadata.get("tags", []):
                if problems:  # the error this cell demonstrates; tslab now drops cells for 200 ms
                    self._wait_until_accepting(client, nb)
                    continue
                problems = [f"tagged {EXPECTED_ERROR_TAG!r} but ran without an error"]
            if problems:
                failures.append((index, problems))
                if not self.args.keep_going:
                    raise Failure()
                if not self.args.no_error_wait:
                    self._wait_until_accepting(client, nb)
            elif err.strip():
                print(f"    cell {index} stderr (not an error):\n{indent(err, STDERR_LINES_SHOWN)}", flush=True)
            if not cell.outputs and previous_outputs[index] and not problems:
                print(f"    warning: cell {index} had outputs before and produced none now", flush=True)
        if not failures or self.args.keep_going:
            self._final_check(client, nb, failures)

    def _hidden_cell(self, client, nb, source):
        """Runs `source` in the kernel without adding it to the notebook; returns (cell, execute_reply)."""
        nb.cells.append(nbformat.v4.new_code_cell(source))
        index = len(nb.cells) - 1
        replies = {}
        previous_hook = client.on_cell_executed
        client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.update({cell_index: execute_reply})
        try:
            client.execute_cell(nb.cells[index], index)
        finally:
            cell = nb.cells.pop()
            client.on_cell_executed = previous_hook
        return cell, replies.get(index)

    def _watch_async_errors(self, client, nb, failures):
        cell, reply = self._hidden_cell(client, nb, WATCH_SOURCE)
        problems = cell_problems(cell, reply)
        if problems:
            failures.append(("start", problems, stderr_text(cell)))
            raise Failure()

    def _wait_until_accepting(self, client, nb, limit=10.0):
        """After an error tslab cancels whatever arrives for 200 ms; a no-op tells us when that is over."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            _, reply = self._hidden_cell(client, nb, "void 0")
            if reply is not None and reply["content"].get("status") != "abort":
                return
            time.sleep(0.05)

    def _final_check(self, client, nb, failures):
        """Asynchronous errors after the last cell, or lost between cells, fail the notebook too."""
        cell, reply = self._hidden_cell(client, nb, FINAL_SOURCE)
        problems = cell_problems(cell, reply)
        if problems:  # includes an error that reached this cell's stderr while it waited
            failures.append(("end", problems, stderr_text(cell)))
            return
        out = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        match = re.search(r"^__nbRunnerAsyncErrors=(.*)$", out, re.M)
        if not match:
            failures.append(("end", ["the runner's final check printed nothing (is the kernel healthy?)"], out))
            return
        seen = "".join(stderr_text(c) for c in nb.cells)
        # Keep only those whose message never reached a cell's stderr (those were reported with their cell).
        errors = [e for e in json.loads(match.group(1)) or [] if e.split("\n", 1)[0] not in seen]
        if errors:
            failures.append(("end", [f"{len(errors)} asynchronous error(s) (a timer or promise failed between "
                                     "cells or after the last one; tslab's own message was lost)"],
                             "\n".join(errors)))

    def _report(self, rel, nb, failures):
        for index, problems, *rest in failures:
            if index is None:
                print(f"!!! {rel}: " + "; ".join(problems), flush=True)
                continue
            if index in ("start", "end"):
                print(f"!!! {rel}, {index} of notebook (runner's hidden cell): " + "; ".join(problems))
                err = rest[0]
            else:
                cell = nb.cells[index]
                print(f"!!! {rel}, cell {index} (0-based; id {cell.get('id')}): " + "; ".join(problems))
                print("  source:\n" + indent(cell.source, SOURCE_LINES_SHOWN))
                err = stderr_text(cell)
            if err.strip():
                trimmed = "\n".join(l for l in err.split("\n") if not INTERNAL_FRAME.match(l))
                print("  stderr:\n" + indent(trimmed, STDERR_LINES_SHOWN))
            sys.stdout.flush()


def main(argv):
    args = parse_args(argv)
    folder = os.path.abspath(args.dir or os.path.join(project_root(), "notebooks"))
    notebooks = select_notebooks(args.patterns, folder)
    if not notebooks:
        print(f"run-notebooks: no notebooks in {folder}")
        return 0
    runner = Runner(args)

    def on_signal(signum, frame):
        # Once only: a second Ctrl-C must not break the kernel cleanup the first one started.
        if not runner.interrupted:
            runner.interrupted = True
            raise KeyboardInterrupt()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    results = []
    for path in notebooks:
        out_path = os.path.join(os.path.abspath(args.out), os.path.basename(path)) if args.out else path
        ok, seconds = runner.run_notebook(path, out_path)
        results.append((shown(path), ok, seconds))
        if not ok and args.fail_fast:
            break
    print("\nSummary:")
    for rel, ok, seconds in results:
        print(f"  {'ok  ' if ok else 'FAIL'}  {seconds:7.1f} s  {rel}")
    skipped = len(notebooks) - len(results)
    if skipped:
        print(f"  ({skipped} not run: --fail-fast)")
    return 0 if all(ok for _, ok, _ in results) and not skipped else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\nrun-notebooks: interrupted", file=sys.stderr)
        sys.exit(130)
