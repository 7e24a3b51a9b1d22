"""Headless Chromium driven over the DevTools protocol (websocket-client,
pinned in requirements.txt; the Chromium scripts/setup installs): enough to
log in through a real page, wait for the web client, read what is shown and
take screenshots. One browser for a whole test module; cookies are cleared
between users."""
from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self, lang: str = "zh-CN", width: int = 1440, height: int = 900, timezone: str = "Asia/Shanghai"):
        self.profile = Path(tempfile.mkdtemp(prefix="e2e-chromium-"))
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}", f"--lang={lang}",
             f"--accept-lang={lang}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise BrowserError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.width, self.height = width, height
        self.send("Page.enable")
        self.send("Network.enable")
        # The web client shows times in the browser's zone: a bureau's browser is on Beijing time.
        self.send("Emulation.setTimezoneOverride", timezoneId=timezone)

    def send(self, method: str, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30, what: str = "") -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        raise BrowserError(f"timed out after {timeout}s waiting for {what or expression} on {self.url()}")

    def url(self) -> str:
        return self.evaluate("location.href")

    def goto(self, url: str, timeout: float = 30) -> None:
        self.send("Page.navigate", url=url)
        time.sleep(0.3)  # the old document may still answer readyState
        self.wait_for("document.readyState === 'complete'", timeout, f"{url} to load")

    def clear_site_data(self, origin: str) -> None:
        """Cookies, local storage and caches of `origin`: a new visitor."""
        self.send("Network.clearBrowserCookies")
        self.send("Storage.clearDataForOrigin", origin=origin.rstrip("/"), storageTypes="all")

    def set_width(self, width: int, height: int | None = None, mobile: bool = False) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height or self.height,
                  deviceScaleFactor=1, mobile=mobile)

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        params = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True, clip={
                "x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 6000), "scale": 1})
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))

    def close(self) -> None:
        if getattr(self, "ws", None):
            try:
                self.send("Browser.close")
            except Exception:  # noqa: BLE001 - closing anyway
                pass
            self.ws.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)
