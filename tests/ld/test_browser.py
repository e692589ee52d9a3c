"""One resource page in a real headless Chromium: links are clickable, Korean is rendered."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium, "
           "chromium-driver)")


@pytest.fixture
def server(mini_store, app_factory) -> Iterator[str]:
    """The app on a real socket (127.0.0.1, free port), stopped after the test."""
    srv = make_server("127.0.0.1", 0, app_factory(mini_store), threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path: Path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_argument("--lang=en-GB")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def korean_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def test_page_links_click_through_and_korean_label_renders(server, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/id/complex/ulsan")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ulsan Industrial Complex"

    # the "located in" relation is a working link to the city's page
    link = browser.find_element(By.CSS_SELECTOR, "table.out a[href='/id/place/ulsan']")
    link.click()
    assert browser.current_url == server + "/id/place/ulsan"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ulsan"

    korean = browser.find_element(By.CSS_SELECTOR, "div.ko[lang='ko']")
    assert korean.is_displayed()
    assert korean.text == "울산광역시"
    assert korean.size["width"] > 0 and korean.size["height"] > 0
    if korean_font_installed():
        # with a Hangul font the four syllables are laid out wider than one missing glyph box
        width = browser.execute_script(
            "const r = document.createRange(); r.selectNodeContents(arguments[0]);"
            "return r.getBoundingClientRect().width;", korean)
        assert width > 40

    # the paragraph citation is a link that leads somewhere that answers
    cite = browser.find_element(By.CSS_SELECTOR, "p span.src a")
    assert cite.text == "¶35"
    cite.click()
    assert browser.current_url == server + "/id/source/paragraph-35"
    assert browser.find_element(By.TAG_NAME, "h1").text
