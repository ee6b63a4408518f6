"""A department clerk in a real Chromium: uploads a spreadsheet export, follows the batch to
its result, downloads the report, and finds the record in the subject's credit file."""

import csv
import io

import pytest

from xinyong.ingest.tests.conftest import penalty

pytestmark = pytest.mark.browser


def test_clerk_uploads_a_file_and_finds_the_record(
    live_server, page, users, org_with_rep, tmp_path, a11y
):
    rows = [penalty(1), penalty(2, CF_NR_FK="=1+1")]
    path = tmp_path / "行政处罚.csv"
    with path.open("w", encoding="gbk", newline="") as f:  # as a Chinese spreadsheet saves it
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    page.goto(live_server.url + "/backoffice/login/")
    page.fill("input[name=username]", "market_clerk")
    page.fill("input[name=password]", "Xinyong-demo-2026")
    page.click("button[type=submit]")
    page.click("header >> text=报送批次")
    page.click("text=上传文件")
    page.select_option("select[name=item]", "administrative_penalty")
    page.set_input_files("input[name=file]", str(path))
    a11y(page, "the upload form, filled")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=已完成")  # the page refreshes while the worker runs
    stats = page.locator(".stats").inner_text()
    assert "2\n总行数" in stats and "1\n新增" in stats and "1\n拒收" in stats
    assert "可能是表格公式" in page.content() and "cell.formula" not in page.content()
    a11y(page, "the batch done, a row refused")
    with page.expect_download() as download:
        page.click("text=下载逐行处理报告（CSV）")
    report = download.value.path().read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report)))
    assert lines[0][:3] == ["行号", "来源记录编号", "结果"]
    assert [x[2] for x in lines[1:]] == ["新增", "拒收"]
    page.goto(f"{live_server.url}/backoffice/subjects/{org_with_rep.pk}/")
    record = page.locator("article.record").first
    assert "行政处罚信息" in record.inner_text() and "信市监罚〔2026〕1号" in record.inner_text()
    assert "文件上传" in record.locator(".provenance").inner_text()
    assert a11y.found == []
