import time

from xinyong.reports import services
from xinyong.reports.tests.conftest import orgs_load


def test_timing(actors, departments):
    codes = orgs_load(departments, 220)
    batch = services.report_batch_submit(actor=actors["market_clerk"], kind="review", purpose="招标投标", codes=codes)
    services.report_batch_run(batch_id=batch.pk, stop_after=5)  # warm
    t = time.perf_counter(); c = time.process_time()
    b = services.report_batch_run(batch_id=batch.pk)
    dt = time.perf_counter() - t
    print(f"\nTIMING {b.done - 5} reports in {dt:.2f}s: {dt / (b.done - 5) * 1000:.1f} ms/report; cpu {(time.process_time() - c) / (b.done - 5) * 1000:.1f} ms")
    t = time.perf_counter()
    _b, f = services.report_batch_zip(actor=actors["market_clerk"], batch_id=batch.pk)
    print(f"ZIP {time.perf_counter() - t:.2f}s")
