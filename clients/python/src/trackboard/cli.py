"""The ``trackboard`` command: ``trackboard sync PATH`` sends journals a run left behind
(a killed run, an outage at exit, an offline run); ``--status`` lists what they hold.
``trackboard import tensorboard LOGDIR --project NAME`` brings a TensorBoard logdir in,
``trackboard import mlflow --tracking-uri URI`` an MLflow store.

PATH is one journal folder, or a folder of journals (``TRACKBOARD_DIR``, or the cache
folder the client uses by default when PATH is omitted). The token comes from
``--token`` or ``TRACKBOARD_TOKEN``; journals never hold it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from ._http import Transport
from ._journal import JournalState, journal_root
from ._shipper import Stopped, ship_folder
from .exceptions import TrackboardError, UnreachableError


def journals_under(path: Path) -> list[Path]:
    """`path` itself when it is a journal, else the journals directly in it."""
    if (path / "meta.json").is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(child for child in path.iterdir() if (child / "meta.json").is_file())


def status(paths: list[Path]) -> int:
    if not paths:
        print("no journals: nothing waits to be sent")
        return 0
    for folder in paths:
        state = JournalState(folder)
        meta = state.meta()
        rejected = state.rejected()
        target = meta.get("experiment_id") or f"{meta.get('project')}/{meta.get('experiment')}"
        print(f"{folder}: experiment {target} on {meta.get('server') or '(offline)'}: "
              f"{state.unsent()} records unsent, {len(rejected)} refused")
        for entry in rejected:
            print(f"  refused: {entry['reason']}")
    return 0


def sync(paths: list[Path], url: str | None, token: str | None, patience: float) -> int:
    if not paths:
        print("no journals: nothing to send")
        return 0
    failed = 0
    for folder in paths:
        state = JournalState(folder)
        meta = state.meta()
        server = (url or meta.get("server") or os.environ.get("TRACKBOARD_URL") or "")
        server = server.rstrip("/").removesuffix("/api/v1")
        if not server:
            print(f"{folder}: no server: pass --url or set TRACKBOARD_URL", file=sys.stderr)
            failed += 1
            continue
        if not token:
            print("no token: pass --token or set TRACKBOARD_TOKEN", file=sys.stderr)
            return 2
        try:
            experiment_id = _experiment_id(state, server, token)
            transport = Transport(server, token, retries=0)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                ship_folder(folder, transport, experiment_id, _patience(patience))
            for warning in caught:
                print(f"warning: {warning.message}", file=sys.stderr)
        except (Stopped, UnreachableError):
            print(f"{folder}: the server at {server} is unreachable; nothing was lost, "
                  "run the command again later", file=sys.stderr)
            failed += 1
            continue
        except TrackboardError as error:
            print(f"{folder}: {error}", file=sys.stderr)
            failed += 1
            continue
        rejected = state.rejected()
        left = state.unsent()
        if state.remove_if_done():
            print(f"{folder}: sent to experiment {experiment_id}; the journal is removed")
        else:
            print(f"{folder}: experiment {experiment_id}: {left} records unsent, "
                  f"{len(rejected)} refused (kept in {folder / 'rejected.jsonl'})")
            if left:
                failed += 1
    return 1 if failed else 0


def _patience(seconds: float) -> Callable[[], bool]:
    """A `give_up` that says yes once the server has been away for `seconds`."""
    since: list[float] = []

    def give_up() -> bool:
        now = time.monotonic()
        if not since:
            since.append(now)
        return now - since[0] > seconds

    return give_up


def _experiment_id(state: JournalState, server: str, token: str) -> int:
    """The journal's experiment: known, or (offline) created by name now, and kept."""
    meta = state.meta()
    if meta.get("experiment_id"):
        return int(meta["experiment_id"])
    from .client import Client

    client = Client(server, token, retries=2)
    experiment = client.experiment(str(meta["project"]), str(meta["experiment"]),
                                   **dict(meta.get("fields") or {}))
    meta["experiment_id"] = experiment.id
    meta["server"] = server
    state.set_meta(meta)
    return experiment.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="trackboard", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sync_parser = commands.add_parser("sync", help="send the journals a run left behind")
    sync_parser.add_argument("path", nargs="?", type=Path, default=None,
                             help="a journal, or a folder of journals (default: the cache)")
    sync_parser.add_argument("--status", action="store_true",
                             help="list what the journals hold; send nothing")
    sync_parser.add_argument("--url", help="the server (default: the journal's, or TRACKBOARD_URL)")
    sync_parser.add_argument("--token", help="an API token (default: TRACKBOARD_TOKEN)")
    sync_parser.add_argument("--patience", type=float, default=30.0,
                             help="seconds to wait for an unreachable server (default 30)")
    import_parser = commands.add_parser("import", help="bring history from other trackers")
    sources = import_parser.add_subparsers(dest="source", required=True)
    tensorboard = sources.add_parser("tensorboard", help="a TensorBoard logdir: each run an "
                                     "experiment (pip install trackboard[tensorboard])")
    tensorboard.add_argument("logdir", help="the logdir; every folder with event files is a run")
    tensorboard.add_argument("--project", required=True, help="the project (made when missing)")
    tensorboard.add_argument("--url", help="the server (default: TRACKBOARD_URL)")
    tensorboard.add_argument("--token", help="an API token (default: TRACKBOARD_TOKEN)")
    mlflow = sources.add_parser("mlflow", help="an MLflow server or store: each experiment a "
                                "project, each run an experiment (pip install trackboard[mlflow])")
    mlflow.add_argument("--tracking-uri", required=True,
                        help="the store: http(s)://…, a local mlruns folder, sqlite:///…")
    mlflow.add_argument("--experiment", help="import only this MLflow experiment (by name)")
    mlflow.add_argument("--url", help="the server (default: TRACKBOARD_URL)")
    mlflow.add_argument("--token", help="an API token (default: TRACKBOARD_TOKEN)")
    arguments = parser.parse_args(argv)
    if arguments.command == "import":
        return _import(arguments)
    if arguments.path is not None and not arguments.path.exists():
        print(f"{arguments.path} does not exist: name a journal, or a folder of journals",
              file=sys.stderr)
        return 2
    paths = journals_under(arguments.path or journal_root())
    if arguments.status:
        return status(paths)
    token = arguments.token or os.environ.get("TRACKBOARD_TOKEN")
    return sync(paths, arguments.url, token, arguments.patience)


def _import(arguments: argparse.Namespace) -> int:
    from . import mlflow_import, tensorboard_import
    from .client import Client
    from .exceptions import ConfigurationError

    try:
        client = Client(arguments.url, arguments.token)
    except (ConfigurationError, UnreachableError) as error:
        print(f"trackboard import: {error}", file=sys.stderr)
        return 2
    try:
        if arguments.source == "mlflow":
            return mlflow_import.main(arguments, client.host, client._token)
        return tensorboard_import.main(arguments, client)
    except TrackboardError as error:
        print(f"trackboard import: {error}; importing again resumes where this stopped",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
