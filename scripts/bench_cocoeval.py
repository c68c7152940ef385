"""Times pycocotools' COCOeval on the data set `bench_coco` wrote (argv[1]: a folder
holding truth.json and detections.json; argv[2] "segm" for truth-segm.json and
detections-segm.json, evaluated as masks): the reference the server's metrics are
compared with, in the same run; and faster-coco-eval's `COCOeval_faster` (C++) on the
same files when it is installed (.tools/coco-venv, scripts/bench_tools.sh). Prints
{"seconds": …, "stats": [...], "faster": {"seconds": …, "stats": [...]} or null} as
JSON."""

import contextlib
import io
import json
import sys
import time

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def main():
    folder = sys.argv[1]
    kind = sys.argv[2] if len(sys.argv) > 2 else "bbox"
    suffix = "-segm" if kind == "segm" else ""
    truth_file, detections_file = f"{folder}/truth{suffix}.json", f"{folder}/detections{suffix}.json"
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO(truth_file)
        with open(detections_file) as file:
            detections = json.load(file)
        started = time.perf_counter()
        found = truth.loadRes(detections)
        evaluation = COCOeval(truth, found, kind)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
        seconds = time.perf_counter() - started
    json.dump({"seconds": seconds, "stats": [float(s) for s in evaluation.stats],
               "faster": faster(truth_file, detections_file, kind)}, sys.stdout)


def faster(truth_file, detections_file, kind):
    """faster-coco-eval's `loadRes` + `evaluate` + `accumulate` + `summarize`; None
    when it is not installed."""
    try:
        from faster_coco_eval import COCO as FasterCOCO
        from faster_coco_eval import COCOeval_faster
    except ImportError:
        return None
    with contextlib.redirect_stdout(io.StringIO()):
        truth = FasterCOCO(truth_file)
        with open(detections_file) as file:
            detections = json.load(file)
        started = time.perf_counter()
        evaluation = COCOeval_faster(truth, truth.loadRes(detections), kind)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "stats": [float(s) for s in evaluation.stats]}


if __name__ == "__main__":
    main()
