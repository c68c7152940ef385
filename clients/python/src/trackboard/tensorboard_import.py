"""`trackboard import tensorboard LOGDIR --project NAME`: a TensorBoard logdir's runs
become experiments, read with TensorBoard's own event reader (``pip install
trackboard[tensorboard]``), every sample kept.

- each scalar tag becomes a LINE log at its steps, each point with its event's wall time
  (TensorBoard stores float32: each value arrives as the float64 that float32 is,
  exactly; a step written twice keeps its last value, as TensorBoard draws it);
- image summaries become IMAGE logs, each image at its step;
- HParams become the `parameters`; text summaries become lines of the live log;
- histograms are skipped and counted.

Importing again stores nothing twice: a tag's points after its last stored step, images
at steps not stored yet and texts after the last imported step are all that is sent, so a
logdir that grew adds only what is new."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable

from ._importing import ImportSummary, progress
from .logs import Log
from .types import LogType

#: Points per LINE request of the import.
CHUNK = 50_000
#: How imported text lines start: `[step 12] …`, read back to skip what is there.
TEXT_STEP = re.compile(r"^\[step (-?\d+)\] ")


def run_directories(logdir: Path) -> list[Path]:
    """Every directory under `logdir` (itself included) that holds event files, sorted."""
    found = {path.parent for path in logdir.rglob("events.out.tfevents.*") if path.is_file()}
    return sorted(found)


def run_name(logdir: Path, run: Path) -> str:
    relative = run.relative_to(logdir).as_posix()
    return logdir.resolve().name if relative == "." else relative


def import_logdir(client: Any, logdir: Path, project: str,
                  say: Callable[[str], None] = print) -> ImportSummary:
    """Imports every run of `logdir` into `project` (created when missing)."""
    try:
        from tensorboard.backend.event_processing import event_accumulator  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise SystemExit("trackboard import tensorboard needs the tensorboard package: "
                         "pip install trackboard[tensorboard]") from None
    summary = ImportSummary()
    runs = run_directories(logdir)
    if not runs:
        say(f"no event files under {logdir}")
        return summary
    with progress(len(runs), "run") as shown:
        for run in runs:
            name = run_name(logdir, run)
            reader = event_accumulator.EventAccumulator(str(run), size_guidance={
                event_accumulator.SCALARS: 0, event_accumulator.IMAGES: 0,
                event_accumulator.TENSORS: 0, event_accumulator.HISTOGRAMS: 0,
                event_accumulator.COMPRESSED_HISTOGRAMS: 0})
            reader.Reload()
            with client.experiment(project, name) as experiment:
                _import_run(reader, experiment, summary)
            summary.experiments += 1
            shown.advance(name, summary)
    return summary


def _import_run(reader: Any, experiment: Any, summary: ImportSummary) -> None:
    from tensorboard.util import tensor_util  # type: ignore[import-not-found, import-untyped, unused-ignore]

    stored = {log.name: log for log in experiment.list_logs()}
    tags = reader.Tags()
    scalars: dict[str, list[tuple[int, float, float]]] = {}
    for tag in tags.get("scalars", []):
        scalars[tag] = [(e.step, e.wall_time, float(e.value)) for e in reader.Scalars(tag)]
    texts: list[tuple[int, str, str]] = []
    for tag in tags.get("tensors", []):
        plugin = reader.SummaryMetadata(tag).plugin_data.plugin_name
        events = reader.Tensors(tag)
        if plugin == "scalars":  # TF2's tf.summary.scalar
            scalars[tag] = [(e.step, e.wall_time, float(tensor_util.make_ndarray(e.tensor_proto)))
                            for e in events]
        elif plugin == "text":
            for event in events:
                for value in tensor_util.make_ndarray(event.tensor_proto).reshape(-1):
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    texts.append((event.step, tag, text))
        elif plugin != "hparams":
            summary.skip(f"tensor summaries ({plugin or 'no plugin'})", len(events))
    for tag, events in scalars.items():
        _import_scalars(experiment, tag, events, stored.get(tag), summary)
    for tag in tags.get("images", []):
        _import_images(experiment, tag, reader.Images(tag), stored.get(tag), summary)
    _import_hparams(reader, experiment, summary)
    _import_texts(experiment, texts, summary)
    unread = (("histograms", reader.Histograms), ("distributions", reader.CompressedHistograms),
              ("audio", reader.Audio))
    for kind, read in unread:
        count = sum(len(read(tag)) for tag in tags.get(kind, []))
        if count:
            summary.skip(f"{kind} samples", count)


def _last_step(log: Log | None) -> int | None:
    if log is None or log.type is not LogType.LINE:
        return None
    steps = [series["last_step"] for series in (log.data or {}).get("series", [])
             if series.get("last_step") is not None]
    return max(steps) if steps else None


def _import_scalars(experiment: Any, tag: str, events: list[tuple[int, float, float]],
                    stored: Log | None, summary: ImportSummary) -> None:
    """The points after the tag's last stored step; a step written twice keeps its last
    value (by wall time, then order)."""
    by_step: dict[int, tuple[float, float]] = {}
    for step, wall_time, value in sorted(events, key=lambda event: (event[0], event[1])):
        if step in by_step:
            summary.skip("scalar values written again at the same step")
        by_step[step] = (value, wall_time)
    after = _last_step(stored)
    steps = sorted(step for step in by_step if after is None or step > after)
    if not steps:
        return
    for start in range(0, len(steps), CHUNK):
        part = steps[start:start + CHUNK]
        experiment.log(tag, {"steps": part, "values": [by_step[step][0] for step in part]},
                       LogType.LINE, wall_times=[by_step[step][1] for step in part])
    summary.logs += stored is None
    summary.points += len(steps)


def _import_images(experiment: Any, tag: str, events: list[Any], stored: Log | None,
                   summary: ImportSummary) -> None:
    have = {image.get("step") for image in ((stored.data or {}).get("images", [])
                                            if stored is not None else [])}
    for event in events:
        if event.step in have:
            continue
        experiment.log_image(tag, event.encoded_image_string, caption=f"step {event.step}",
                             step=event.step)
        have.add(event.step)
        summary.images += 1
    summary.logs += stored is None and bool(events)


def _import_hparams(reader: Any, experiment: Any, summary: ImportSummary) -> None:
    from tensorboard.plugins.hparams import metadata  # type: ignore[import-not-found, import-untyped, unused-ignore]

    hparams: dict[str, Any] = {}
    try:
        contents = reader.PluginTagToContent(metadata.PLUGIN_NAME)
    except KeyError:  # the run has no HParams
        return
    if metadata.SESSION_START_INFO_TAG in contents:
        start = metadata.parse_session_start_info_plugin_data(
            contents[metadata.SESSION_START_INFO_TAG])
        for name, value in start.hparams.items():
            kind = value.WhichOneof("kind")
            if kind == "number_value":
                number = value.number_value
                hparams[name] = int(number) if number.is_integer() else number
            elif kind in ("string_value", "bool_value"):
                hparams[name] = getattr(value, kind)
    if hparams:
        experiment.log_parameters(hparams)
        summary.parameters += len(hparams)


def _import_texts(experiment: Any, texts: list[tuple[int, str, str]],
                  summary: ImportSummary) -> None:
    if not texts:
        return
    job = experiment._http.json("GET", experiment._path("/job/logs"))
    done = [int(found.group(1)) for line in job.get("lines", [])
            if (found := TEXT_STEP.match(line.get("text", "")))]
    after = max(done) if done else None
    fresh = [f"[step {step}] {tag}: {text}" for step, tag, text in sorted(texts)
             if after is None or step > after]
    if fresh:
        experiment.send_logging(fresh, "TensorBoard text")
        summary.texts += len(fresh)


def main(arguments: Any, client: Any) -> int:
    """`trackboard import tensorboard`: imports and prints the summary."""
    logdir = Path(arguments.logdir)
    if not logdir.is_dir():
        print(f"trackboard import: {logdir} is not a folder", file=sys.stderr)
        return 2
    summary = import_logdir(client, logdir, arguments.project)
    print(f"imported {summary}")
    return 0
