"""Points logged in a loop are all stored, once: at interpreter exit, across a dropped
answer, and across a server restart."""

import socket
import subprocess
import sys
import textwrap
import threading
import time

from trackboard import Client, LogType


def stored_points(server, experiment_id, name="loss"):
    log = server.api("GET", f"/experiments/{experiment_id}/logs/{name}").json()
    return sum(series["points"] for series in log["data"]["series"])


def test_the_buffer_is_flushed_at_interpreter_exit(server, project):
    script = textwrap.dedent(f"""
        from trackboard import Client, LogType
        client = Client({server.url!r}, {server.token!r})
        experiment = client.get_project({project.name!r}).create_experiment("exits")
        for step in range(20_000):
            experiment.log("loss", [1.0 / (step + 1)], LogType.LINE)
        print(experiment.id)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert stored_points(server, int(done.stdout.strip())) == 20_000


class AnswerDroppingProxy:
    """Forwards to the server, but for the first `drops` log writes closes the client's
    connection after the server answered: the write is stored, its answer lost."""

    def __init__(self, target_port, drops):
        self.target_port = target_port
        self.drops = drops
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            connection, _ = self.listener.accept()
            threading.Thread(target=self._relay, args=(connection,), daemon=True).start()

    def _relay(self, client):
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        request = self._read_message(client)
        upstream.sendall(request)
        is_write = request.startswith(b"POST") and b"/logs " in request.split(b"\r\n")[0]
        if is_write and self.drops > 0:
            self.drops -= 1
            self._read_message(upstream)  # the server stored it; the client never hears
            client.close()
            upstream.close()
            return
        # Everything else on this connection passes through untouched.
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
        self._pipe(client, upstream)

    @staticmethod
    def _pipe(source, target):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @staticmethod
    def _read_message(sock):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body


def test_a_batch_whose_answer_was_lost_is_stored_once(server, project):
    proxy = AnswerDroppingProxy(server.port, drops=2)
    client = Client(proxy.url, server.token, retries=5)
    experiment = client.get_project(project.name).create_experiment("lossy")
    for step in range(5_000):
        experiment.log("loss", [float(step)], LogType.LINE)
    experiment.flush()
    assert proxy.drops == 0, "the proxy dropped answers"
    assert stored_points(server, experiment.id) == 5_000
    steps = experiment.line("loss")["loss"]["steps"]
    assert steps == list(range(5_000))


def test_points_logged_while_the_server_restarts_are_all_stored(server, project, tmp_path):
    from conftest import Server

    own = Server(tmp_path).start()
    try:
        client = Client(own.url, own.token, retries=10)
        experiment = client.create_project("restart").create_experiment("run")
        for step in range(2_000):
            experiment.log("loss", [float(step)], LogType.LINE)
        assert experiment.flush() is True, "the server has every point"
        own.stop()
        for step in range(2_000, 4_000):
            experiment.log("loss", [float(step)], LogType.LINE)
        time.sleep(1.0)  # batches are being retried against the stopped server
        assert experiment.flush() is False, "a server away is waited for, then given up on"
        own.start()
        experiment.flush()
        assert experiment.line("loss")["loss"]["steps"] == list(range(4_000))
    finally:
        own.stop()
