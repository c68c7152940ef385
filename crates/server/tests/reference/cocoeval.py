"""pycocotools' COCOeval on a data set written by crates/server/tests/coco_reference.rs.

Reads {"iou_type", "images", "categories", "annotations", "detections"} from the file
named by argv[1]; prints the 12 summary numbers and, per category, AP, AR and the
precision curve at IoU .50, all as COCOeval computes them (-1 where it has none).
Detection polygons are turned into RLE by pycocotools itself (frPyObjects, merge), as
a user evaluating polygon results would do; compressed RLE detections are given as they
are, as results files give them.
"""

import contextlib
import io
import json
import sys

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def mean_defined(values):
    values = values[values > -1]
    return float(np.mean(values)) if len(values) else -1.0


def main():
    with open(sys.argv[1]) as file:
        data = json.load(file)
    iou_type = data["iou_type"]
    sizes = {image["id"]: (image["height"], image["width"]) for image in data["images"]}

    truth = COCO()
    truth.dataset = {
        "images": data["images"],
        "categories": data["categories"],
        "annotations": data["annotations"],
    }
    with contextlib.redirect_stdout(io.StringIO()):
        truth.createIndex()

    results = []
    for detection in data["detections"]:
        result = {
            "image_id": detection["image_id"],
            "category_id": detection["category_id"],
            "score": detection["score"],
        }
        if iou_type == "bbox" and "bbox" in detection:
            result["bbox"] = detection["bbox"]
        elif iou_type == "bbox":
            # A mask's box, as loadRes takes it from a results file's RLE.
            result["bbox"] = mask_utils.toBbox(detection["segmentation"]).tolist()
        else:
            segmentation = detection["segmentation"]
            if isinstance(segmentation, dict):
                # A compressed RLE, as results files carry it: given as it is.
                result["segmentation"] = segmentation
            else:
                height, width = sizes[detection["image_id"]]
                rles = mask_utils.frPyObjects(segmentation, height, width)
                result["segmentation"] = mask_utils.merge(rles)
        results.append(result)

    with contextlib.redirect_stdout(io.StringIO()):
        found = truth.loadRes(results) if results else COCO()
        evaluation = COCOeval(truth, found, iou_type)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()

    precision = evaluation.eval["precision"]
    recall = evaluation.eval["recall"]
    classes = {}
    for k, category in enumerate(evaluation.params.catIds):
        classes[str(category)] = {
            "ap": mean_defined(precision[:, :, k, 0, -1]),
            "ar": mean_defined(recall[:, k, 0, -1]),
            "precision50": precision[0, :, k, 0, -1].tolist(),
        }
    json.dump({"stats": [float(s) for s in evaluation.stats], "classes": classes}, sys.stdout)


if __name__ == "__main__":
    main()
