"""System metrics (`Client(system_metrics=True)` or ``TRACKBOARD_SYSTEM_METRICS=1``):
CPU, memory, disk and network through psutil, and each NVIDIA GPU's utilisation, memory,
temperature and power through NVML, logged every few seconds as LINE logs under
``system/`` by a thread of their own, so the training loop pays nothing for them. Both
libraries are optional (``pip install trackboard[system]``); what is missing is said
once on stderr and the rest is logged."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

#: Seconds between two samples, unless ``TRACKBOARD_SYSTEM_METRICS_INTERVAL`` says.
DEFAULT_INTERVAL = 10.0
MIB = 1024 * 1024

Sample = list[tuple[str, float]]


def configured_interval(asked: bool | float | None) -> float | None:
    """The sampling interval a client asked for (`system_metrics=True`, a number of
    seconds, or the environment), or None when system metrics are off."""
    if asked is None:
        if os.environ.get("TRACKBOARD_SYSTEM_METRICS", "").lower() not in ("1", "true", "yes"):
            return None
        asked = True
    if asked is False:
        return None
    if asked is True:
        text = os.environ.get("TRACKBOARD_SYSTEM_METRICS_INTERVAL", "")
        asked = float(text) if text else DEFAULT_INTERVAL
    interval = float(asked)
    if not interval >= 0.1:
        raise ValueError(f"system metrics need an interval of 0.1 s or more, got {asked!r}")
    return interval


class HostSampler:
    """CPU %, memory, and disk and network traffic since the run started (psutil)."""

    def __init__(self, psutil: Any):
        self._psutil = psutil
        psutil.cpu_percent(interval=None)  # the first reading only starts the count
        self._disk0 = psutil.disk_io_counters()
        self._net0 = psutil.net_io_counters()

    def sample(self) -> Sample:
        psutil = self._psutil
        memory = psutil.virtual_memory()
        values = [("system/cpu_percent", float(psutil.cpu_percent(interval=None))),
                  ("system/memory_percent", float(memory.percent)),
                  ("system/memory_used_mib", memory.used / MIB)]
        disk, net = psutil.disk_io_counters(), psutil.net_io_counters()
        if disk is not None and self._disk0 is not None:
            values += [("system/disk_read_mib", (disk.read_bytes - self._disk0.read_bytes) / MIB),
                       ("system/disk_write_mib",
                        (disk.write_bytes - self._disk0.write_bytes) / MIB)]
        if net is not None and self._net0 is not None:
            values += [("system/net_sent_mib", (net.bytes_sent - self._net0.bytes_sent) / MIB),
                       ("system/net_recv_mib", (net.bytes_recv - self._net0.bytes_recv) / MIB)]
        return values


class GpuSampler:
    """Each NVIDIA GPU's utilisation, memory, temperature and power (NVML)."""

    def __init__(self, nvml: Any):
        self._nvml = nvml
        nvml.nvmlInit()
        self._handles = [nvml.nvmlDeviceGetHandleByIndex(index)
                         for index in range(nvml.nvmlDeviceGetCount())]

    @property
    def count(self) -> int:
        return len(self._handles)

    def sample(self) -> Sample:
        nvml = self._nvml
        values: Sample = []
        for index, handle in enumerate(self._handles):
            prefix = f"system/gpu{index}"
            utilization = nvml.nvmlDeviceGetUtilizationRates(handle)
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
            values += [
                (f"{prefix}/utilization_percent", float(utilization.gpu)),
                (f"{prefix}/memory_percent", 100.0 * memory.used / memory.total),
                (f"{prefix}/temperature_c", float(nvml.nvmlDeviceGetTemperature(
                    handle, nvml.NVML_TEMPERATURE_GPU))),
                # NVML answers milliwatts.
                (f"{prefix}/power_w", nvml.nvmlDeviceGetPowerUsage(handle) / 1000.0),
            ]
        return values


def samplers() -> list[Callable[[], Sample]]:
    """What this machine can be sampled with; says once on stderr what it cannot."""
    found: list[Callable[[], Sample]] = []
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]
        found.append(HostSampler(psutil).sample)
    except ImportError:
        print("trackboard: system metrics need psutil (pip install trackboard[system]); "
              "CPU, memory, disk and network are not logged", file=sys.stderr)
    try:
        import pynvml  # type: ignore[import-not-found, import-untyped, unused-ignore]
        gpus = GpuSampler(pynvml)
        if gpus.count:
            found.append(gpus.sample)
        else:
            print("trackboard: no NVIDIA GPU found; logging the rest", file=sys.stderr)
    except Exception as error:  # noqa: BLE001 - NVML fails in many ways where no GPU is
        print(f"trackboard: no NVIDIA GPU metrics ({type(error).__name__}: {error}); "
              "logging the rest", file=sys.stderr)
    return found


class SystemMonitor:
    """Samples every `interval` seconds and hands the values to `log` (the experiment's
    journal), from a daemon thread, until `stop`."""

    def __init__(self, log: Callable[[str, float], None], interval: float,
                 sources: list[Callable[[], Sample]] | None = None):
        self._log = log
        self._interval = interval
        self._sources = samplers() if sources is None else sources
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="trackboard-system",
                                        daemon=True)
        if self._sources:
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            for source in self._sources:
                try:
                    values = source()
                except Exception as error:  # noqa: BLE001 - a sensor must not end the run
                    print(f"trackboard: a system metric failed ({error}); it is skipped",
                          file=sys.stderr)
                    continue
                for name, value in values:
                    self._log(name, value)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self._interval + 5)
