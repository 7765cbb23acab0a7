"""A minimal LSP client over stdio (Python standard library only), enough to drive csharp-ls as an editor does."""
import json
import os
import queue
import subprocess
import threading
import time


class LspClient:
    def __init__(self, command, cwd, settings, log=None):
        self.settings = settings
        self.log = log
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        self.pending = {}
        threading.Thread(target=self._read, daemon=True).start()

    # --- wire ---------------------------------------------------------------------------------------------------
    def _send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self):
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    # --- protocol -----------------------------------------------------------------------------------------------
    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=600):
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            at, message = self.receive(deadline)
            if message.get("id") == rid and "method" not in message:
                if "error" in message:
                    raise RuntimeError(method + ": " + json.dumps(message["error"]))
                return message.get("result")
            self.unhandled(at, message)

    def receive(self, deadline):
        """The next message, answering the server's own requests on the way."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message from the server in time")
            try:
                item = self.messages.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError("no message from the server in time")
            if item is None:
                raise RuntimeError("the server exited")
            at, message = item
            if "method" in message and "id" in message:
                self._answer(message)
                continue
            return at, message

    def _answer(self, message):
        method = message["method"]
        if method == "workspace/configuration":
            result = [self._section(item.get("section")) for item in message["params"]["items"]]
        else:  # client/registerCapability, window/workDoneProgress/create, ...: acknowledge
            result = None
        self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _section(self, section):
        if not section:
            return self.settings
        value = self.settings
        for part in section.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def unhandled(self, at, message):
        if self.log is not None and message.get("method") == "window/logMessage":
            self.log.write(message["params"].get("message", "") + "\n")

    def initialize(self, root):
        uri = "file://" + os.path.abspath(root)
        capabilities = {
            "workspace": {"configuration": True, "workspaceFolders": True,
                          "didChangeConfiguration": {"dynamicRegistration": False}},
            "textDocument": {
                "synchronization": {"dynamicRegistration": False, "didSave": False},
                "publishDiagnostics": {"relatedInformation": False, "versionSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            },
        }
        self.request("initialize", {"processId": os.getpid(), "rootUri": uri, "capabilities": capabilities,
                                    "workspaceFolders": [{"uri": uri, "name": os.path.basename(root)}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def shutdown(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
        except Exception:  # the server may already be gone; make sure it is
            self.proc.kill()
            self.proc.wait()
