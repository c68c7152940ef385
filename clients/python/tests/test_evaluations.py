"""Seed 000's evaluation workflow through the client against the real server: assets
with ground truth, a train/test split, evaluations, and metrics that must equal what
pycocotools' COCOeval computes from the same shapes."""

import contextlib
import copy
import io
import json
import random
import uuid

import numpy as np
import pytest
from PIL import Image
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from trackboard import InferenceType, NotFound, TrackboardError, ValidationFailed

LABELS = ["car", "person", "bike"]


@pytest.fixture
def version(client):
    dataset = client.create_dataset(f"streets-{uuid.uuid4().hex[:8]}")
    return dataset.create_version("v1", labels=LABELS)


def picture(rng, width, height):
    return Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8))


def polygon_around(rng, x, y, w, h):
    corners = int(rng.integers(3, 9))
    angles = np.sort(rng.uniform(0, 2 * np.pi, corners))
    reach = rng.uniform(0.4, 1.0, corners)
    return [[round(x + w / 2 + np.cos(a) * r * w / 2, 1), round(y + h / 2 + np.sin(a) * r * h / 2, 1)]
            for a, r in zip(angles, reach)]


def evaluated_set(version, experiment, rng, count=40):
    """Uploads `count` assets with boxes and polygons, evaluates them with near misses,
    misses and false detections; answers (assets, predictions by asset id)."""
    py = random.Random(7)
    assets, predictions = [], {}
    for index in range(count):
        width, height = int(rng.integers(80, 200)), int(rng.integers(60, 160))
        boxes, polygons = [], []
        for _ in range(int(rng.integers(0, 5))):
            w, h = float(rng.uniform(8, width / 2)), float(rng.uniform(8, height / 2))
            x, y = float(rng.uniform(0, width - w)), float(rng.uniform(0, height - h))
            label = py.choice(LABELS)
            boxes.append((round(x, 2), round(y, 2), round(w, 2), round(h, 2), label))
            polygons.append((polygon_around(rng, x, y, w, h), label))
        asset = version.add_asset(picture(rng, width, height), filename=f"street-{index}.png",
                                  rectangles=boxes, polygons=polygons)
        assets.append(asset)
        found_boxes, found_polygons = [], []
        for (x, y, w, h, label), (points, _) in zip(boxes, polygons):
            if py.random() < 0.8:
                score = round(py.random(), 1)  # ties on purpose
                shift = py.uniform(-0.3, 0.3)
                found_boxes.append((x + shift * w, y, w, h * py.uniform(0.7, 1.3), label, score))
                found_polygons.append(([[px + shift * 3, py_] for px, py_ in points], label, score))
        for _ in range(py.randrange(3)):
            found_boxes.append((py.uniform(0, width), py.uniform(0, height), 10.0, 12.0,
                                py.choice(LABELS), round(py.random(), 2)))
        experiment.add_evaluation(asset, rectangles=found_boxes, polygons=found_polygons)
        predictions[asset.id] = (found_boxes, found_polygons)
    return assets, predictions


def reference(assets, predictions, iou_type):
    """pycocotools on the same shapes: gt areas as the server judges them (box w × h,
    the polygon's own mask pixels)."""
    images = [{"id": a.id, "width": a.width, "height": a.height} for a in assets]
    categories = [{"id": i + 1, "name": name} for i, name in enumerate(LABELS)]
    annotations, results = [], []
    for asset in assets:
        h, w = asset.height, asset.width
        kind = "rectangles" if iou_type == "bbox" else "polygons"
        for shape in asset.annotations[kind]:
            annotation = {"id": len(annotations) + 1, "image_id": asset.id, "iscrowd": 0,
                          "category_id": LABELS.index(shape["label"]) + 1}
            if iou_type == "bbox":
                box = [shape["x"], shape["y"], shape["width"], shape["height"]]
                annotation.update(bbox=box, area=box[2] * box[3])
            else:
                flat = [v for point in shape["points"] for v in point]
                rle = mask_utils.merge(mask_utils.frPyObjects([flat], h, w))
                annotation.update(segmentation=[flat], area=float(mask_utils.area(rle)))
            annotations.append(annotation)
        boxes, polygons = predictions[asset.id]
        if iou_type == "bbox":
            for x, y, bw, bh, label, score in boxes:
                results.append({"image_id": asset.id, "category_id": LABELS.index(label) + 1,
                                "bbox": [x, y, bw, bh], "score": score})
        else:
            for points, label, score in polygons:
                flat = [v for point in points for v in point]
                rle = mask_utils.merge(mask_utils.frPyObjects([flat], h, w))
                results.append({"image_id": asset.id, "category_id": LABELS.index(label) + 1,
                                "segmentation": rle, "score": score})
    truth = COCO()
    truth.dataset = {"images": images, "categories": categories, "annotations": annotations}
    with contextlib.redirect_stdout(io.StringIO()):
        truth.createIndex()
        evaluation = COCOeval(truth, truth.loadRes(results), iou_type)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return evaluation


def cocoeval(truth, results, kind):
    """pycocotools' COCOeval of `results` against `truth`, quietly. loadRes writes into
    the results it is given, so it gets a copy."""
    with contextlib.redirect_stdout(io.StringIO()):
        evaluation = COCOeval(truth, truth.loadRes(copy.deepcopy(results)), kind)
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return evaluation


def assert_equal_to_reference(metrics, evaluation):
    for ours, theirs in zip(metrics["detection"]["summary"], evaluation.stats):
        assert (ours if ours is not None else -1.0) == pytest.approx(theirs, abs=1e-6)
    precision = evaluation.eval["precision"]
    for k, cls in enumerate(metrics["detection"]["classes"]):
        values = precision[:, :, k, 0, -1]
        values = values[values > -1]
        theirs = float(np.mean(values)) if len(values) else -1.0
        ours = cls["average_precision"]
        assert (ours if ours is not None else -1.0) == pytest.approx(theirs, abs=1e-6), cls["label"]


def test_metrics_of_boxes_and_polygons_equal_pycocotools(client, version, experiment):
    experiment.attach_dataset("test", version)
    rng = np.random.default_rng(11)
    assets, predictions = evaluated_set(version, experiment, rng)

    boxes = experiment.compute_evaluations_metrics(InferenceType.OBJECT_DETECTION).wait_for_done()
    assert boxes["assets"] == len(assets)
    assert 0 < boxes["detection"]["summary"][0] < 1
    assert_equal_to_reference(boxes, reference(assets, predictions, "bbox"))

    masks = experiment.compute_evaluations_metrics("SEGMENTATION").wait_for_done()
    assert 0 < masks["detection"]["summary"][1] < 1
    assert_equal_to_reference(masks, reference(assets, predictions, "segm"))

    # Both are kept as EVALUATION logs.
    assert experiment.get_log("evaluation/object_detection")["data"] == boxes
    assert experiment.get_log("evaluation/segmentation")["data"] == masks


def test_assets_are_found_listed_split_and_evaluations_filtered(client, version, experiment):
    experiment.attach_dataset("test", version)
    rng = np.random.default_rng(3)
    for index in range(10):
        label = LABELS[index % 3]
        version.add_asset(picture(rng, 32, 24), filename=f"a{index}.png",
                          rectangles=[(1, 2, 10, 8, label)], classifications=[label])
    found = version.find_asset("a4.png")
    assert (found.width, found.height) == (32, 24)
    assert found.annotations["classifications"] == [{"label": "person"}]
    assert Image.open(io.BytesIO(found.image())).size == (32, 24)
    with pytest.raises(NotFound):
        version.find_asset("missing.png")
    assert len(version.list_assets()) == 10
    assert len(version.list_assets(label="car")) == 4

    train, test, train_counts, test_counts, labels = \
        experiment.run_train_test_split_on_dataset("test", prop=0.7, random_seed=42)
    assert (len(train), len(test)) == (7, 3)
    assert sorted(a.id for a in train + test) == sorted(a.id for a in version.list_assets())
    assert sum(train_counts.values()) + sum(test_counts.values()) == 10
    assert labels == LABELS
    again = experiment.run_train_test_split_on_dataset("test", prop=0.7, random_seed=42)
    assert [a.id for a in again[0]] == [a.id for a in train]

    for asset in version.list_assets():
        predicted = asset.annotations["classifications"][0]["label"]
        experiment.add_evaluation(asset, classifications=[(predicted, 0.9), ("bike", 0.2)])
    assert len(experiment.list_evaluations()) == 10
    assert len(experiment.list_evaluations(label="bike", max_score=0.5)) == 10
    assert len(experiment.list_evaluations(label="car", min_score=0.5)) == 4
    assert len(experiment.list_evaluations(asset=found)) == 1
    job = experiment.compute_evaluations_metrics("classification")
    metrics = job.wait_for_done()
    assert (job.status, job.progress) == ("success", (1, 1))
    assert metrics["classification"]["accuracy"] == 1.0
    # A job that cannot keep its metrics fails with the server's reason.
    experiment.log("evaluation/segmentation", 1, "VALUE")
    with pytest.raises(TrackboardError, match="failed"):
        experiment.compute_evaluations_metrics("segmentation").wait_for_done()
    assert [c["support"] for c in metrics["classification"]["classes"]] == [4, 3, 3]


def test_bad_shapes_are_refused_naming_the_item(client, version, experiment):
    experiment.attach_dataset("test", version)
    rng = np.random.default_rng(5)
    with pytest.raises(ValidationFailed) as refused:
        version.add_asset(picture(rng, 8, 8), rectangles=[(0, 0, 2, 2, "car"), (0, 0, 2, 2, "tram")])
    assert refused.value.field == "annotations.rectangles[1].label"
    asset = version.add_asset(picture(rng, 8, 8), filename="ok.png")
    cases = [
        ({"rectangles": [(0, 0, 2, 2, "car", 1.5)]}, "rectangles[0].score"),
        ({"polygons": [([[0, 0], [1, 1]], "car", 0.5)]}, "polygons[0].points"),
        ({"rectangles": [(0, 0, -2, 2, "car", 0.5)]}, "rectangles[0].width"),
    ]
    for shapes, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            experiment.add_evaluation(asset, **shapes)
        assert refused.value.field == field
    with pytest.raises(ValueError, match="score"):
        experiment.add_evaluation(asset, rectangles=[(0, 0, 2, 2, "car")])
    assert experiment.list_evaluations() == []


def test_a_coco_file_imports_with_its_images(client, version, tmp_path):
    rng = np.random.default_rng(9)
    paths = []
    for name, size in (("one.png", (30, 20)), ("two.png", (16, 16))):
        path = tmp_path / name
        picture(rng, *size).save(path)
        paths.append(str(path))
    coco = {
        "images": [{"id": 1, "file_name": "one.png", "width": 30, "height": 20},
                   {"id": 2, "file_name": "two.png", "width": 16, "height": 16}],
        "categories": [{"id": 5, "name": "car"}, {"id": 6, "name": "bike"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 5, "bbox": [1, 1, 5, 5],
             "segmentation": [[1, 1, 6, 1, 6, 6, 1, 6]], "area": 25, "iscrowd": 0},
            {"id": 2, "image_id": 2, "category_id": 6, "bbox": [2, 2, 3, 3], "area": 9, "iscrowd": 0},
        ],
    }
    annotations = tmp_path / "instances.json"
    annotations.write_text(json.dumps(coco))
    with pytest.raises(ValidationFailed) as refused:
        version.import_coco(str(annotations), paths[:1])
    assert refused.value.field == "images"
    assert version.list_assets() == []
    imported = version.import_coco(str(annotations), paths)
    assert len(imported["asset_ids"]) == 2
    one = version.find_asset("one.png")
    assert one.annotations["rectangles"][0]["label"] == "car"
    assert len(one.annotations["polygons"]) == 1
    assert [a.filename for a in version.list_assets(label="bike")] == ["two.png"]


def test_a_coco_files_areas_crowds_and_multi_part_objects_count_as_in_pycocotools(
        client, version, experiment, tmp_path):
    """Issue 31: a COCO file's `area` (here neither w×h nor the mask's pixels, and across
    the 32² and 96² borders) is what COCOeval's small/medium/large read; crowd regions
    (`iscrowd: 1`, with detections on them) are ignored as COCOeval ignores them; an
    object drawn as two polygons is one object. Imported, evaluated by the server, and
    compared with pycocotools run on the original file."""
    rng = np.random.default_rng(31)
    py = random.Random(31)
    images, annotations, paths = [], [], []
    for image_id in range(1, 7):
        width, height = 160, 120
        name = f"frame-{image_id}.png"
        picture(rng, width, height).save(tmp_path / name)
        paths.append(str(tmp_path / name))
        images.append({"id": image_id * 10, "file_name": name, "width": width, "height": height})
        for _ in range(5):
            w, h = py.uniform(8, 70), py.uniform(8, 70)
            x, y = py.uniform(0, width - w), py.uniform(0, height - h)
            points = polygon_around(rng, x, y, w, h)
            segmentation = [[v for point in points for v in point]]
            if py.random() < 0.25:  # occluded: a second part of the same object
                part = polygon_around(rng, x + w * 0.55, y + h * 0.55, w * 0.4, h * 0.4)
                segmentation.append([v for point in part for v in point])
            area = round(w * h * py.choice([0.3, 0.9, 1.7, 3.1]), 2)  # moves objects across borders
            annotations.append({"id": len(annotations) + 1, "image_id": image_id * 10,
                                "category_id": py.choice([3, 7, 9]),
                                "iscrowd": int(py.random() < 0.15),
                                "bbox": [x, y, w, h], "segmentation": segmentation, "area": area})
    categories = [{"id": 3, "name": "car"}, {"id": 7, "name": "person"}, {"id": 9, "name": "bike"}]
    coco = {"images": images, "annotations": annotations, "categories": categories}
    (tmp_path / "instances.json").write_text(json.dumps(coco))
    imported = version.import_coco(str(tmp_path / "instances.json"), paths)
    asset_of = dict(zip([image["id"] for image in images], imported["asset_ids"]))
    experiment.attach_dataset("eval", version)
    name_of = {c["id"]: c["name"] for c in categories}
    box_results, mask_results = [], []
    by_image: dict[int, list] = {}
    results_file = []  # the same detections as a COCO results file (boxes and polygons)

    def found(annotation, box, polygon):
        score = round(py.random(), 2)
        results_file.append({"image_id": annotation["image_id"], "category_id": annotation["category_id"],
                             "score": score, "bbox": box,
                             "segmentation": [[v for point in polygon for v in point]]})
        by_image.setdefault(annotation["image_id"], []).append(
            (box, polygon, name_of[annotation["category_id"]], score))
        box_results.append({"image_id": annotation["image_id"], "category_id": annotation["category_id"],
                            "bbox": box, "score": score})
        image = next(i for i in images if i["id"] == annotation["image_id"])
        rle = mask_utils.merge(mask_utils.frPyObjects(
            [[v for point in polygon for v in point]], image["height"], image["width"]))
        mask_results.append({"image_id": annotation["image_id"], "category_id": annotation["category_id"],
                             "segmentation": rle, "score": score})

    for annotation in annotations:
        x, y, w, h = annotation["bbox"]
        if annotation["iscrowd"]:  # a few detections inside a crowd: neither TP nor FP
            for _ in range(py.randint(1, 3)):
                bx, by = x + py.uniform(0, w / 2), y + py.uniform(0, h / 2)
                bw, bh = w * py.uniform(0.2, 0.5), h * py.uniform(0.2, 0.5)
                found(annotation, [bx, by, bw, bh], polygon_around(rng, bx, by, bw, bh))
            continue
        if py.random() < 0.2:
            continue  # a miss
        shift = py.uniform(-4, 4)
        box = [x + shift, y, w, h * py.uniform(0.8, 1.2)]
        polygon = [[px + shift, py_] for px, py_ in zip(annotation["segmentation"][0][::2],
                                                        annotation["segmentation"][0][1::2])]
        found(annotation, box, polygon)
    for image_id, found in by_image.items():
        experiment.add_evaluation(asset_of[image_id],
                                  rectangles=[(*box, label, score) for box, _, label, score in found],
                                  polygons=[(polygon, label, score) for _, polygon, label, score in found])

    expected: dict[str, list[float]] = {}
    truth = COCO()
    truth.dataset = coco
    with contextlib.redirect_stdout(io.StringIO()):
        truth.createIndex()
    for kind, results, inference in (("bbox", box_results, InferenceType.OBJECT_DETECTION),
                                     ("segm", mask_results, InferenceType.SEGMENTATION)):
        reference = cocoeval(truth, results, kind)
        metrics = experiment.compute_evaluations_metrics(inference).wait_for_done()
        # The asset ids differ from the file's image ids; categories are the version's
        # labels in order, as in the file (car, person, bike): every figure compares.
        ours = [value if value is not None else -1.0 for value in metrics["detection"]["summary"]]
        assert ours == pytest.approx(list(reference.stats), abs=1e-6), kind
        expected[kind] = list(reference.stats)

    # The same detections from a results file, read onto the assets through the ground
    # truth file's image ids and categories: the same numbers.
    (tmp_path / "results.json").write_text(json.dumps(results_file))
    imported = experiment.import_coco_predictions(tmp_path / "results.json",
                                                  coco_file=tmp_path / "instances.json")
    assert imported == {"evaluations": len(by_image), "shapes": 2 * len(results_file)}
    for kind, inference in (("bbox", InferenceType.OBJECT_DETECTION),
                            ("segm", InferenceType.SEGMENTATION)):
        metrics = experiment.compute_evaluations_metrics(inference).wait_for_done()
        ours = [value if value is not None else -1.0 for value in metrics["detection"]["summary"]]
        assert ours == pytest.approx(expected[kind], abs=1e-6), f"{kind} from the results file"
    with pytest.raises(ValidationFailed) as refused:
        experiment.import_coco_predictions([{**results_file[0], "image_id": 12345}],
                                           coco_file=tmp_path / "instances.json")
    assert refused.value.field == "results[0].image_id"

    # Exported again (seed 001 dl_annotations), the file gives pycocotools the same numbers.
    exported = experiment.dl_annotations()
    assert experiment.dict_annotations is exported
    exported_id = {c["name"]: c["id"] for c in exported["categories"]}
    moved = {"images": exported["images"], "categories": exported["categories"],
             "annotations": exported["annotations"]}
    round_trip = COCO()
    round_trip.dataset = moved
    with contextlib.redirect_stdout(io.StringIO()):
        round_trip.createIndex()
    for kind, results in (("bbox", box_results), ("segm", mask_results)):
        remapped = [{**copy.deepcopy(r), "image_id": asset_of[r["image_id"]],
                     "category_id": exported_id[name_of[r["category_id"]]]} for r in results]
        stats = []
        for truth_file, found in ((truth, results), (round_trip, remapped)):
            evaluation = cocoeval(truth_file, found, kind)
            stats.append(list(evaluation.stats))
        assert stats[1] == pytest.approx(stats[0], abs=1e-12), kind
    with pytest.raises(ValueError, match="type"):
        experiment.dl_annotations("reviewed")


def blob(rng, width, height, x, y, w, h):
    """A mask inside the box whose rows wander per column: no polygon's rasterisation."""
    mask = np.zeros((height, width), dtype=np.uint8, order="F")
    top, bottom = y + h * 0.3, y + h * 0.7
    for column in range(int(x), min(int(x + w), width)):
        top = float(np.clip(top + rng.uniform(-1.5, 1.5), y, y + h / 2))
        bottom = float(np.clip(bottom + rng.uniform(-1.5, 1.5), y + h / 2, y + h))
        mask[int(top):int(bottom), column] = 1
    return mask


def uncompressed(mask):
    """COCO's uncompressed RLE of a mask (how its crowd regions are written)."""
    pixels = mask.flatten(order="F")
    counts, value, run = [], 0, 0
    for pixel in pixels:
        if pixel != value:
            counts.append(run)
            value, run = pixel, 0
        run += 1
    counts.append(run)
    return {"size": list(mask.shape), "counts": [int(c) for c in counts]}


def compressed(mask):
    """What `mask.encode` writes into a results file: the counts as a string."""
    rle = mask_utils.encode(np.asfortranarray(mask))
    return {"size": [int(v) for v in rle["size"]], "counts": rle["counts"].decode("ascii")}


def test_run_length_masks_from_coco_and_results_files_count_as_in_pycocotools(
        client, version, experiment, tmp_path):
    """Issue 31: ground truth with crowd regions as uncompressed RLE (as COCO has them)
    and objects as compressed RLE beside polygons; predictions as a results file of
    compressed masks without boxes (as detectron2 writes segm results). Imported,
    evaluated by the server (segm and bbox), and equal to pycocotools on the original
    files; exported again, the file gives pycocotools the same numbers."""
    rng = np.random.default_rng(131)
    py = random.Random(131)
    width, height = 150, 110
    images, annotations, paths, results = [], [], [], []
    for image_id in (4, 9, 23, 40, 41):
        name = f"street-{image_id}.png"
        picture(rng, width, height).save(tmp_path / name)
        paths.append(str(tmp_path / name))
        images.append({"id": image_id, "file_name": name, "width": width, "height": height})
        for index in range(6):
            w, h = py.uniform(10, 70), py.uniform(10, 60)
            x, y = py.uniform(0, width - w), py.uniform(0, height - h)
            crowd = index == 0 and py.random() < 0.7
            category = py.choice([2, 5, 11])
            if crowd or py.random() < 0.5:
                mask = blob(rng, width, height, x, y, w, h)
                segmentation = uncompressed(mask) if crowd else compressed(mask)
                rle = mask_utils.encode(np.asfortranarray(mask))
                bbox = [float(v) for v in mask_utils.toBbox(rle)]
                area = float(mask_utils.area(rle)) * py.choice([1.0, 1.0, 0.93])
            else:
                points = polygon_around(rng, x, y, w, h)
                flat = [v for point in points for v in point]
                segmentation = [flat]
                mask = mask_utils.decode(mask_utils.merge(
                    mask_utils.frPyObjects([flat], height, width)))
                xs, ys = flat[::2], flat[1::2]
                bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
                area = round(w * h * 0.6, 2)
            annotations.append({"id": len(annotations) + 1, "image_id": image_id,
                                "category_id": category, "iscrowd": int(crowd), "bbox": bbox,
                                "segmentation": segmentation, "area": area})
            # Detections: near misses of the object (inside a crowd: neither TP nor FP),
            # and a false one now and then.
            for _ in range(py.randint(0, 2)):
                shifted = np.roll(mask, (py.randint(-3, 3), py.randint(-3, 3)), axis=(0, 1))
                results.append({"image_id": image_id, "category_id": category,
                                "score": round(py.random(), 2), "segmentation": compressed(shifted)})
            if py.random() < 0.3:
                bx, by = py.uniform(0, width - 20), py.uniform(0, height - 20)
                false = blob(rng, width, height, bx, by, 20, 20)
                results.append({"image_id": image_id, "category_id": py.choice([2, 5, 11]),
                                "score": round(py.random(), 2), "segmentation": compressed(false)})
    categories = [{"id": 2, "name": "car"}, {"id": 5, "name": "person"}, {"id": 11, "name": "bike"}]
    coco = {"images": images, "annotations": annotations, "categories": categories}
    assert sum(a["iscrowd"] for a in annotations) >= 2
    assert sum(isinstance(a["segmentation"], dict) and not a["iscrowd"] for a in annotations) >= 5
    (tmp_path / "instances.json").write_text(json.dumps(coco))
    version.import_coco(str(tmp_path / "instances.json"), paths)
    experiment.attach_dataset("eval", version)
    imported = experiment.import_coco_predictions(copy.deepcopy(results), coco_file=coco)
    # Each mask, and the box pycocotools' loadRes gives a mask without one.
    assert imported == {"evaluations": len(images), "shapes": 2 * len(results)}

    truth = COCO()
    truth.dataset = coco
    with contextlib.redirect_stdout(io.StringIO()):
        truth.createIndex()
    expected = {}
    for kind, inference in (("segm", InferenceType.SEGMENTATION),
                            ("bbox", InferenceType.OBJECT_DETECTION)):
        reference = cocoeval(truth, results, kind)
        metrics = experiment.compute_evaluations_metrics(inference).wait_for_done()
        ours = [value if value is not None else -1.0 for value in metrics["detection"]["summary"]]
        assert ours == pytest.approx(list(reference.stats), abs=1e-6), kind
        assert 0 < reference.stats[0] < 1, kind
        expected[kind] = list(reference.stats)

    # Exported again: masks keep their spelling, and pycocotools gives the same numbers.
    exported = experiment.dl_annotations()
    spelled = [type(a["segmentation"]).__name__ if isinstance(a["segmentation"], list)
               else type(a["segmentation"]["counts"]).__name__ for a in exported["annotations"]]
    # COCOeval turned the file's segmentations into RLE in place: read the file again.
    original = [type(a["segmentation"]).__name__ if isinstance(a["segmentation"], list)
                else type(a["segmentation"]["counts"]).__name__
                for a in json.loads((tmp_path / "instances.json").read_text())["annotations"]]
    assert sorted(spelled) == sorted(original)
    asset_of = {image["file_name"]: image["id"] for image in exported["images"]}
    image_of = {image["id"]: asset_of[image["file_name"]] for image in images}
    exported_id = {c["name"]: c["id"] for c in exported["categories"]}
    name_of = {c["id"]: c["name"] for c in categories}
    round_trip = COCO()
    round_trip.dataset = exported
    with contextlib.redirect_stdout(io.StringIO()):
        round_trip.createIndex()
    remapped = [{**copy.deepcopy(r), "image_id": image_of[r["image_id"]],
                 "category_id": exported_id[name_of[r["category_id"]]]} for r in results]
    for kind in ("segm", "bbox"):
        evaluation = cocoeval(round_trip, remapped, kind)
        assert list(evaluation.stats) == pytest.approx(expected[kind], abs=1e-12), kind

    # A mask of another size than its image is refused, naming it; nothing changes.
    wrong = [{**results[0], "segmentation": compressed(np.zeros((10, 10), dtype=np.uint8))}]
    with pytest.raises(ValidationFailed) as refused:
        experiment.import_coco_predictions(wrong, coco_file=coco)
    assert refused.value.field.endswith("masks[0].size")
