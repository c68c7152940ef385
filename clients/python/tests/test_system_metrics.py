"""System metrics: a run logs CPU, memory, disk and network figures under `system/` from
a thread of their own; each NVIDIA GPU's figures through NVML. The GPU path is tested with
a fake `pynvml` module the test injects: the one mock of the client's suite (this machine
has no GPU)."""

from __future__ import annotations

import sys
import time
import types
from collections import namedtuple

import pytest

from trackboard import Client, LogType
from trackboard._system import configured_interval


def series(experiment, name: str) -> list[float]:
    return experiment.get_log(name).data["series"][name]["values"]


def test_a_run_logs_cpu_memory_disk_and_network(server, capsys):
    client = Client(server.url, server.token, system_metrics=0.2)
    with client.experiment("system", "cpu run") as experiment:
        experiment.log("loss", 1.0, LogType.LINE)  # the first log starts the monitor
        time.sleep(1.5)
        for step in range(100):
            experiment.log("loss", 1.0 / (step + 2), LogType.LINE)
    names = {log.name for log in experiment.list_logs()}
    expected = {"system/cpu_percent", "system/memory_percent", "system/memory_used_mib",
                "system/disk_read_mib", "system/disk_write_mib", "system/net_sent_mib",
                "system/net_recv_mib"}
    assert expected <= names, names
    cpu = series(experiment, "system/cpu_percent")
    assert len(cpu) >= 3
    assert all(0.0 <= value <= 100.0 for value in cpu)
    assert all(0.0 < value < 100.0 for value in series(experiment, "system/memory_percent"))
    assert all(value >= 0.0 for value in series(experiment, "system/net_sent_mib"))
    assert len(series(experiment, "loss")) == 101, "the loop's own points are all there"
    assert "no NVIDIA GPU" in capsys.readouterr().err, "said once where there is no GPU"


class FakeNvml(types.ModuleType):
    """NVML's calls as `pynvml` names them, for two GPUs of known figures."""

    NVML_TEMPERATURE_GPU = 0
    Utilization = namedtuple("Utilization", "gpu memory")
    Memory = namedtuple("Memory", "total free used")

    def __init__(self) -> None:
        super().__init__("pynvml")
        self.figures = [(87, 6_000, 8_000, 71, 245_500), (12, 1_000, 16_000, 40, 60_000)]

    def nvmlInit(self) -> None:
        pass

    def nvmlDeviceGetCount(self) -> int:
        return len(self.figures)

    def nvmlDeviceGetHandleByIndex(self, index: int) -> int:
        return index

    def nvmlDeviceGetUtilizationRates(self, handle: int):
        return self.Utilization(self.figures[handle][0], 0)

    def nvmlDeviceGetMemoryInfo(self, handle: int):
        used, total = self.figures[handle][1], self.figures[handle][2]
        return self.Memory(total, total - used, used)

    def nvmlDeviceGetTemperature(self, handle: int, sensor: int) -> int:
        assert sensor == self.NVML_TEMPERATURE_GPU
        return self.figures[handle][3]

    def nvmlDeviceGetPowerUsage(self, handle: int) -> int:
        return self.figures[handle][4]


def test_each_gpu_is_logged_through_nvml(server, monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml())
    client = Client(server.url, server.token, system_metrics=0.2)
    with client.experiment("system", "gpu run") as experiment:
        experiment.log("loss", 1.0, LogType.LINE)
        time.sleep(1.0)
    assert set(series(experiment, "system/gpu0/utilization_percent")) == {87.0}
    assert set(series(experiment, "system/gpu0/memory_percent")) == {75.0}
    assert set(series(experiment, "system/gpu0/temperature_c")) == {71.0}
    assert set(series(experiment, "system/gpu0/power_w")) == {245.5}, "milliwatts to watts"
    assert set(series(experiment, "system/gpu1/power_w")) == {60.0}


def test_the_interval_comes_from_the_client_or_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKBOARD_SYSTEM_METRICS", raising=False)
    assert configured_interval(None) is None
    assert configured_interval(False) is None
    assert configured_interval(True) == 10.0
    assert configured_interval(2) == 2.0
    monkeypatch.setenv("TRACKBOARD_SYSTEM_METRICS", "1")
    monkeypatch.setenv("TRACKBOARD_SYSTEM_METRICS_INTERVAL", "30")
    assert configured_interval(None) == 30.0
    for bad in (0, -1, float("nan")):
        with pytest.raises(ValueError, match="interval"):
            configured_interval(bad)
