"""100 writes to a file in /etc, one after another, each timed from the write to its alert on the watcher's stdout."""
import time

PATH = "/etc/infradiff-bench-realtime"


def latencies(alerts, count=100):
    """Seconds from each write to the first alert line naming the file, sorted; alerts is the watcher's stdout, open."""
    measured = []
    for i in range(count):
        alerts.readlines()
        started = time.monotonic()
        with open(PATH, "w") as f:
            f.write(f"write {i}\n")
        while True:
            line = alerts.readline()
            if line and PATH.rsplit("/", 1)[1] in line:
                measured.append(time.monotonic() - started)
                break
            if not line:
                time.sleep(0.002)
    return sorted(measured)
