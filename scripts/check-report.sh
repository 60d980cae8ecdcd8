#!/usr/bin/env bash
# Opens an HTML report in headless Chromium and fails if the page throws, logs a console
# error, or fails to load any resource; prints how tall the page is in screens of the
# window, and fails when it is taller than --max-screens; optionally saves a full-page
# screenshot.
#
# Usage: scripts/check-report.sh REPORT.html [SCREENSHOT.png] [--width W] [--max-screens N]
#   the window is W×900 CSS pixels (default W = 1280); the report's length is measured with
#   every fold closed, as a reader first sees it.
# Exit status: 0 clean, 1 problems found (listed on stderr), 2 usage or missing tools.
#
# Why the DevTools protocol and not Chromium's log: `--enable-logging=stderr` prints
# console messages (uncaught exceptions included) but not failed loads — a broken
# <img src="http://127.0.0.1:9/x.png"> leaves no trace there — and `--dump-dom` shows
# only the DOM. So Chromium runs with `--remote-debugging-pipe`, and a short Python
# client (standard library only) listens to the page's Runtime, Log and Network events.
set -euo pipefail

usage="usage: $0 REPORT.html [SCREENSHOT.png] [--width W] [--max-screens N]"
report="" screenshot="" width=1280 max_screens=0
while [ $# -gt 0 ]; do
  case "$1" in
    --width) width=${2:?$usage}; shift 2 ;;
    --max-screens) max_screens=${2:?$usage}; shift 2 ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) if [ -z "$report" ]; then report=$1; elif [ -z "$screenshot" ]; then screenshot=$1; else echo "$usage" >&2; exit 2; fi; shift ;;
  esac
done
if [ -z "$report" ] || ! [[ $width =~ ^[0-9]+$ ]] || ! [[ $max_screens =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
  echo "$usage" >&2
  exit 2
fi
if [ ! -f "$report" ]; then
  echo "error: no such file: $report" >&2
  exit 2
fi

chromium=""
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then chromium=$(command -v "$candidate"); break; fi
done
if [ -z "$chromium" ]; then
  echo "error: Chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "error: python3 not found; install it with: apt-get install -y python3" >&2
  exit 2
fi

exec python3 - "$chromium" "$report" "$screenshot" "$width" "$max_screens" <<'PYTHON'
import base64, fcntl, json, math, os, pathlib, select, shutil, subprocess, sys, tempfile, time

chromium, report, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
width, max_screens = int(sys.argv[4]), float(sys.argv[5])
url = pathlib.Path(report).resolve().as_uri()
deadline = time.monotonic() + 60

# Chromium reads protocol messages on fd 3 and writes them on fd 4, NUL-terminated.
commands_read, commands_write = os.pipe()
replies_read, replies_write = os.pipe()

def connect_pipes():
    # Copies above 10 first, so dup2 never meets an fd already numbered 3 or 4 (where
    # it would do nothing and the close-on-exec flag would survive).
    high_in = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)
    high_out = fcntl.fcntl(replies_write, fcntl.F_DUPFD, 10)
    os.dup2(high_in, 3)
    os.dup2(high_out, 4)

profile = tempfile.mkdtemp(prefix="check-report-")
log = open(os.path.join(profile, "chromium.log"), "w+")
browser = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
     "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile, "--no-first-run",
     "--no-default-browser-check", "--hide-scrollbars", "--disable-extensions", "about:blank"],
    stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=False, preexec_fn=connect_pipes)
os.close(commands_read)
os.close(replies_write)

buffer = b""
pending_events = []
next_id = 0

def give_up(message):
    log.seek(0)
    tail = log.read()[-2000:]
    print(f"error: {message}\n--- chromium log (tail) ---\n{tail}", file=sys.stderr)
    browser.kill()
    shutil.rmtree(profile, ignore_errors=True)
    sys.exit(2)

def read_message(timeout):
    """The next message from Chromium, or None when `timeout` seconds pass first."""
    global buffer
    end = min(deadline, time.monotonic() + timeout)
    while b"\0" not in buffer:
        remaining = end - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([replies_read], [], [], remaining)
        if ready:
            chunk = os.read(replies_read, 1 << 20)
            if not chunk:
                give_up("Chromium closed the DevTools pipe")
            buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)

def send(method, params=None, session=None):
    """Sends a command and waits for its reply; events meanwhile are kept for later."""
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(commands_write, json.dumps(message).encode() + b"\0")
    while True:
        reply = read_message(deadline - time.monotonic())
        if reply is None:
            give_up(f"no reply from Chromium to {method}")
        if reply.get("id") == next_id:
            if "error" in reply:
                give_up(f"{method} failed: {reply['error']}")
            return reply.get("result", {})
        pending_events.append(reply)

target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
for domain in ["Page", "Runtime", "Log", "Network"]:
    send(f"{domain}.enable", session=session)
send("Emulation.setDeviceMetricsOverride",
     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)

problems = []
navigation = send("Page.navigate", {"url": url}, session=session)
if navigation.get("errorText"):
    problems.append(f"navigation failed: {navigation['errorText']}")

requests = {}
def handle(event):
    """Records `event` if it reports a problem; returns True on the page's load event."""
    method, params = event.get("method"), event.get("params", {})
    if event.get("sessionId") != session:
        return False
    if method == "Network.requestWillBeSent":
        requests[params["requestId"]] = params["request"]["url"]
    elif method == "Network.loadingFailed":
        where = requests.get(params["requestId"], "?")
        problems.append(f"failed to load {where[:200]}: {params.get('errorText', '?')}")
    elif method == "Network.responseReceived" and params["response"].get("status", 0) >= 400:
        problems.append(f"HTTP {params['response']['status']} for {params['response']['url'][:200]}")
    elif method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        text = details.get("exception", {}).get("description") or details.get("text", "?")
        problems.append(f"uncaught exception: {text}")
    elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
        text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
        problems.append(f"console.{params['type']}: {text}")
    elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
        entry = params["entry"]
        problems.append(f"{entry['source']} error: {entry['text']} {entry.get('url', '')}".rstrip())
    return method == "Page.loadEventFired"

loaded = any([handle(event) for event in pending_events])
pending_events.clear()
while not loaded:
    event = read_message(deadline - time.monotonic())
    if event is None:
        give_up("the page did not finish loading within 60 seconds")
    loaded = handle(event)
# Errors logged just after the load event (a late console.error) still count.
settle = time.monotonic() + 1.0
while (event := read_message(settle - time.monotonic())) is not None:
    handle(event)

size = send("Page.getLayoutMetrics", session=session)["cssContentSize"]
page_height = math.ceil(size["height"])
screens = page_height / 900
print(f"page height: {page_height} px, {screens:.1f} screens of a {width}×900 window")
if max_screens and screens > max_screens:
    problems.append(f"the page is {screens:.1f} screens tall, more than {max_screens:g}")
if screenshot:
    height = min(16384, page_height)
    send("Emulation.setDeviceMetricsOverride",
         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    image = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
    pathlib.Path(screenshot).write_bytes(base64.b64decode(image["data"]))
    print(f"screenshot: {screenshot} ({width}×{height})")

# Chromium may close the pipe before answering, so the reply is not awaited.
os.write(commands_write, json.dumps({"id": next_id + 1, "method": "Browser.close"}).encode() + b"\0")
try:
    browser.wait(timeout=10)
except subprocess.TimeoutExpired:
    browser.kill()
shutil.rmtree(profile, ignore_errors=True)

# Duplicates (one failed load reported by Network and by Log) are listed once.
problems = list(dict.fromkeys(problems))
if problems:
    print(f"{report}: {len(problems)} problem(s) in Chromium:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    sys.exit(1)
print(f"{report}: no console errors or failed loads in Chromium")
PYTHON
