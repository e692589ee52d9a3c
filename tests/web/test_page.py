"""The query page in a real headless Chromium: gallery click, rows, links to our pages."""

from __future__ import annotations

import re
import shutil

import pytest
import requests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.skip("Chromium and chromedriver are not installed "
                    "(Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        pytest.skip(f"headless Chromium does not start here: {exc.msg}")
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_page_is_offline(live) -> None:
    page = requests.get(live.url + "/", timeout=5).text
    assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    for asset in assets:
        text = requests.get(live.url + asset, timeout=5).text
        assert not re.search(r"(url\(|import |fetch\()\s*['\"]?(https?:)?//", text), asset
    assert "<textarea" in page and "PREFIX kg:" in page


def test_gallery_query_runs_and_links_iris(live, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live.url + "/")
    items = browser.find_elements(By.CSS_SELECTOR, ".gallery-item")
    questions = [item.text for item in items]
    assert "Which industrial complexes are there, and where are they?" in questions
    items[questions.index("Which industrial complexes are there, and where are they?")].click()
    WebDriverWait(browser, 15).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#results tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) == 3
    assert "Changwon National Industrial Complex" in rows[0].text
    link = rows[0].find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href") == live.url + "/id/complex/changwon"
    assert "rows" in browser.find_element(By.ID, "status").text
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(url.startswith(live.url + "/") for url in loaded)
    csv = browser.find_element(By.CSS_SELECTOR, "a.download[data-format=csv]")
    assert csv.is_displayed()
    download = requests.get(csv.get_attribute("href"), timeout=5)
    assert download.headers["Content-Type"].startswith("text/csv")
    assert download.text.count("\n") == 4


def test_construct_query_and_error_message(live, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live.url + "/")
    browser.find_element(By.CSS_SELECTOR, ".gallery-item[data-name=iccp-participants]").click()
    WebDriverWait(browser, 15).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#results tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) == 3
    assert rows[0].find_element(By.CSS_SELECTOR, "a").get_attribute("href").startswith(
        live.url + "/id/complex/")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT ?x WHERE { ?x")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 15).until(ec.visibility_of_element_located((By.ID, "error")))
    assert "syntax error" in browser.find_element(By.ID, "error").text
