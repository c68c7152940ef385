"""The local journal against the real server: an outage never reaches the training loop
and loses nothing, a killed run and an offline run are sent by `trackboard sync`, one
refused record is set aside alone, and a torn tail is read up to its last whole record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from trackboard import Client, Conflict, LogType
from trackboard.cli import journals_under

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
       b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
#: The outage of the outage test, in seconds (the issue asks for 60).
OUTAGE = float(os.environ.get("TRACKBOARD_OUTAGE_SECONDS", "60"))
CLI = [sys.executable, "-m", "trackboard.cli"]


@pytest.fixture
def own_server(tmp_path: Path):
    """A server of this test's own, to stop and start (same port, same database)."""
    from conftest import Server

    running = Server(tmp_path / "server")
    (tmp_path / "server").mkdir()
    running.start()
    yield running
    running.stop()


def values_of(server, experiment_id: int, name: str) -> dict:
    """Each series of a LINE log as (steps, values), read at full resolution."""
    text = server.api("GET", f"/experiments/{experiment_id}/logs/{name}/points.csv").text
    series: dict = {}
    for line in text.splitlines()[1:]:
        series_name, step, value = line.split(",")
        steps, values = series.setdefault(series_name, ([], []))
        steps.append(int(step))
        values.append(float(value) if value else None)
    return series


def test_an_outage_never_reaches_the_loop_and_loses_nothing(own_server, tmp_path):
    client = Client(own_server.url, own_server.token, retries=2)
    checkpoint = tmp_path / "model.pt"
    checkpoints: list[str] = []
    experiment = client.create_project("outage").create_experiment("run")
    errors: list[BaseException] = []
    logged = {"steps": 0}
    stop = threading.Event()

    def training_loop() -> None:
        try:
            step = 0
            while not stop.is_set():
                experiment.log("loss", [1.0 / (step + 1)], LogType.LINE)
                experiment.log("accuracy", [step / 1e6], LogType.LINE)
                experiment.log("lr", [0.1 * 0.999 ** step], LogType.LINE)
                if step % 500 == 0:
                    experiment.log_image("samples", PNG, caption=f"step {step}", step=step)
                if step % 1500 == 0:  # a checkpoint, stored again and again
                    checkpoint.write_bytes(f"weights at step {step}".encode() * 1000)
                    checkpoints.append(experiment.store("model-latest", str(checkpoint)).sha256)
                step += 1
                logged["steps"] = step
                time.sleep(0.0005)
        except BaseException as error:  # noqa: BLE001 - the test's verdict
            errors.append(error)

    loop = threading.Thread(target=training_loop)
    loop.start()
    time.sleep(1.0)
    own_server.stop()
    time.sleep(OUTAGE)
    own_server.start()
    time.sleep(1.0)
    stop.set()
    loop.join()
    assert errors == []
    steps = logged["steps"]
    # `flush` gives up while the server stays silent for a while (it is then "plainly
    # away"); a loaded machine can make the restarted server that slow. Nothing is lost
    # either way: the journal keeps sending, so wait (bounded) until every point is in.
    deadline = time.monotonic() + 180
    while True:
        experiment.flush()
        counts = [len(values_of(own_server, experiment.id, name).get(name, ([], []))[0])
                  for name in ("loss", "accuracy", "lr")]
        if min(counts) >= steps or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    expected = {
        "loss": [1.0 / (step + 1) for step in range(steps)],
        "accuracy": [step / 1e6 for step in range(steps)],
        "lr": [0.1 * 0.999 ** step for step in range(steps)],
    }
    for name, values in expected.items():
        stored = values_of(own_server, experiment.id, name)[name]
        assert stored[0] == list(range(steps)), name
        assert stored[1] == values, name  # every point once, in order, bit for bit
    images = experiment.get_log("samples")["data"]["images"]
    assert [image["step"] for image in images] == list(range(0, steps, 500))
    assert len(checkpoints) > 1
    assert experiment.get_artifact("model-latest").sha256 == checkpoints[-1], "the last one"
    experiment.close()
    assert journals_under(Path(os.environ["TRACKBOARD_DIR"])) == []


def test_a_run_killed_during_an_outage_is_sent_by_trackboard_sync(own_server, journal_dir):
    script = textwrap.dedent(f"""
        import sys, time
        from trackboard import Client, LogType
        client = Client({own_server.url!r}, {own_server.token!r}, retries=1)
        experiment = client.create_project("killed").create_experiment("run")
        print(experiment.id, flush=True)
        for step in range(3_000):
            experiment.log("loss", [step * 0.5], LogType.LINE)
        experiment.log("best", 0.75, LogType.VALUE)
        print("outage?", flush=True)
        sys.stdin.readline()  # the server is stopped now
        for step in range(3_000, 8_000):
            experiment.log("loss", [step * 0.5], LogType.LINE)
        experiment.log_parameters({{"lr": 0.01}})
        # The journal's writer thread writes what `log` queued every millisecond: a
        # run killed outright loses at most its last few milliseconds (docs/PYTHON.md).
        time.sleep(0.05)
        print("logged", flush=True)
        time.sleep(600)
    """)
    run = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert run.stdout is not None and run.stdin is not None
    experiment_id = int(run.stdout.readline())
    assert run.stdout.readline().strip() == "outage?"
    own_server.stop()
    run.stdin.write("go\n")
    run.stdin.flush()
    assert run.stdout.readline().strip() == "logged"
    run.send_signal(signal.SIGKILL)
    run.wait()
    own_server.start()

    status = subprocess.run([*CLI, "sync", str(journal_dir), "--status"], capture_output=True,
                            text=True, check=True)
    assert "records unsent" in status.stdout
    synced = subprocess.run([*CLI, "sync", str(journal_dir), "--token", own_server.token],
                            capture_output=True, text=True, check=False)
    assert synced.returncode == 0, synced.stderr
    loss = values_of(own_server, experiment_id, "loss")["loss"]
    assert loss == (list(range(8_000)), [step * 0.5 for step in range(8_000)])
    parameters = own_server.api("GET", f"/experiments/{experiment_id}/logs/parameters").json()
    assert parameters["data"] == {"lr": 0.01}
    assert journals_under(journal_dir) == []


def log_everything(experiment) -> None:
    for step in range(2_500):
        experiment.log("loss", [1.0 / (step + 3)], LogType.LINE)
        experiment.log("val", [step * 1e-3 if step % 7 else None], LogType.LINE)
    experiment.log("curves", {"train": [0.5, 0.25], "val": [0.75, 0.5]}, LogType.LINE)
    experiment.log("accuracy", 0.875, LogType.VALUE)
    experiment.log("classes", {"x": ["car", "bus"], "y": [3, 4]}, LogType.BAR)
    experiment.log_parameters({"lr": 0.001, "optimizer": {"name": "adam"}})
    experiment.log_image("samples", PNG, caption="first", step=0)
    experiment.store("config", __file__)


def comparable(server, experiment_id: int) -> dict:
    logs = server.api("GET", f"/experiments/{experiment_id}/logs?limit=1000").json()["items"]
    shown = {}
    for log in logs:
        data = log["data"]
        if log["type"] == "LINE":
            data = values_of(server, experiment_id, log["name"])
        elif log["type"] == "IMAGE":
            data = [(image["caption"], image["step"]) for image in data["images"]]
        shown[log["name"]] = (log["type"], data)
    artifacts = server.api("GET", f"/experiments/{experiment_id}/artifacts").json()["items"]
    shown["artifacts"] = [(a["name"], a["filename"], a["sha256"]) for a in artifacts]
    return shown


def test_an_offline_run_synced_later_equals_an_online_run(own_server, journal_dir, monkeypatch):
    online = Client(own_server.url, own_server.token).experiment("shared", "online")
    log_everything(online)
    online.close()

    monkeypatch.setenv("TRACKBOARD_MODE", "offline")
    offline_client = Client()  # no server, no token: nothing is asked of a server
    offline = offline_client.experiment("shared", "offline")
    log_everything(offline)
    offline.close()
    assert len(journals_under(journal_dir)) == 1

    synced = subprocess.run([*CLI, "sync", "--url", own_server.url, "--token",
                             own_server.token], capture_output=True, text=True, check=False,
                            env={**os.environ, "TRACKBOARD_MODE": ""})
    assert synced.returncode == 0, synced.stderr
    monkeypatch.delenv("TRACKBOARD_MODE")
    found = Client(own_server.url, own_server.token).experiment("shared", "offline")
    assert comparable(own_server, found.id) == comparable(own_server, online.id)
    assert journals_under(journal_dir) == []


def test_one_refused_record_is_set_aside_and_raised_once(own_server):
    client = Client(own_server.url, own_server.token)
    experiment = client.create_project("refusal").create_experiment("run")
    experiment.log("accuracy", 0.5, LogType.VALUE)
    for step in range(1_000):
        experiment.log("loss", [float(step)], LogType.LINE)
        if step == 500:
            experiment.log("accuracy", [1.0], LogType.LINE)  # a VALUE log takes no points
    with pytest.raises(Conflict, match="the LINE log 'accuracy'") as refused:
        experiment.flush()
    assert refused.value.field == "type"
    experiment.flush()  # raised once, not again
    for step in range(1_000, 1_100):
        experiment.log("loss", [float(step)], LogType.LINE)
    experiment.flush()
    assert values_of(own_server, experiment.id, "loss")["loss"][0] == list(range(1_100))
    assert experiment.get_log("accuracy")["data"] == 0.5
    folder = experiment._journal.folder if experiment._journal else None
    assert folder is not None and len((folder / "rejected.jsonl").read_text().splitlines()) == 1


def test_a_torn_tail_is_read_up_to_its_last_whole_record(own_server, journal_dir):
    experiment = Client(offline=True).experiment("torn", "run")
    for step in range(100):
        experiment.log("loss", [float(step)], LogType.LINE)
    experiment.close()
    [folder] = journals_under(journal_dir)
    with open(folder / "000001.jsonl", "ab") as segment:
        segment.write(b'{"k":"line","n":"loss","v":[100.')  # a crash mid-write
    synced = subprocess.run([*CLI, "sync", str(folder), "--url", own_server.url, "--token",
                             own_server.token], capture_output=True, text=True, check=False)
    assert synced.returncode == 0, synced.stderr
    assert "not a whole record" in synced.stderr
    found = Client(own_server.url, own_server.token).experiment("torn", "run")
    assert values_of(own_server, found.id, "loss")["loss"][0] == list(range(100))


def test_a_refused_value_is_set_aside_alone_among_the_values_logged_with_it(own_server):
    from trackboard import ApiError

    experiment = Client(own_server.url, own_server.token).experiment("nan", "run")
    for step in range(200):
        experiment.log("loss", [float("nan") if step == 150 else float(step)], LogType.LINE)
    with pytest.raises(ApiError, match="the LINE log 'loss'"):
        experiment.flush()
    kept = [float(step) for step in range(200) if step != 150]
    assert values_of(own_server, experiment.id, "loss")["loss"][1] == kept
    folder = experiment._journal.folder if experiment._journal else None
    assert folder is not None
    [rejected] = (folder / "rejected.jsonl").read_text().splitlines()
    assert '"v": [NaN]' in rejected


def test_sync_against_an_unreachable_server_loses_nothing_and_says_so(own_server, journal_dir):
    experiment = Client(offline=True).experiment("later", "run")
    for step in range(50):
        experiment.log("loss", [float(step)], LogType.LINE)
    experiment.close()
    [folder] = journals_under(journal_dir)
    own_server.stop()
    away = subprocess.run([*CLI, "sync", "--url", own_server.url, "--token", "tb_x",
                           "--patience", "1"], capture_output=True, text=True, check=False)
    assert away.returncode == 1
    assert "unreachable; nothing was lost" in away.stderr
    assert journals_under(journal_dir) == [folder]
    no_token = subprocess.run([*CLI, "sync", "--url", own_server.url], capture_output=True,
                              text=True, check=False,
                              env={k: v for k, v in os.environ.items() if k != "TRACKBOARD_TOKEN"})
    assert no_token.returncode == 2 and "no token" in no_token.stderr
    nowhere = subprocess.run([*CLI, "sync", str(journal_dir / "nowhere")], capture_output=True,
                             text=True, check=False)
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    own_server.start()
    sent = subprocess.run([*CLI, "sync", "--url", own_server.url, "--token", own_server.token],
                          capture_output=True, text=True, check=False)
    assert sent.returncode == 0, sent.stderr
    found = Client(own_server.url, own_server.token).experiment("later", "run")
    assert values_of(own_server, found.id, "loss")["loss"][0] == list(range(50))
