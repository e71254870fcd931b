"""The real app on 127.0.0.1 for UI tests: tmp data dir, a tiny library the test writes, two users.

No LLM endpoint is configured, so drafts and answers come from the offline drafter.
The library is three short Markdown files, so even hybrid retrieval embeds in seconds.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from assistant.services import Services, build_services, ensure_shipped_knowledge
from assistant.settings import Settings, load_settings
from assistant.ui.app import build_app
from assistant.ui.users import add_user

TOKEN = "ui-test-token"
PASSWORD = "duty-pass-1"
PDF_TITLE = "地下综合管廊甲烷监测规程"
PDF_LINES = (
    "第一条 管廊舱室甲烷浓度达到百分之一时，应立即启动强制通风，",
    "并撤离舱内全部作业人员，由运维单位在十分钟内报告管廊管理中心。",
)
LIBRARY = {
    "gas-plan.md": """# 示例市燃气突发事件应急预案

## 一、分级响应

一般燃气事件（Ⅳ级）由街道组织处置。较大燃气事件（Ⅲ级）由区燃气管理部门启动Ⅲ级响应，区指挥部统一指挥。
重大燃气事件（Ⅱ级）由市指挥部启动Ⅱ级响应。

## 二、监测预警

燃气企业应对管网压力和可燃气体浓度进行实时监测，报警后立即核实并加密监测频次。

## 三、应急处置

燃气泄漏报警后，抢修人员应在20分钟内到达现场，关闭上游阀门切断气源，设置警戒区，疏散周边群众，禁止一切明火。

## 四、善后恢复

险情消除后，燃气企业检测管道气密性，经检查合格后逐户恢复供气。

## 五、调查评估

区燃气管理部门组织调查事故原因，形成评估报告，修订应急预案。
""",
    "gas-case.md": """# 某市地下室燃气爆炸事故案例

## 经过

某日上午，居民楼地下室燃气管道泄漏，燃气积聚后遇火源发生爆炸，造成人员伤亡。

## 经验教训

- 发现燃气泄漏后未及时疏散周边群众，导致伤亡扩大。
- 燃气企业巡检发现隐患后未立即关阀断气，错过处置时机。
""",
    "gas-rules.md": """# 示例市燃气安全管理规定

## 第三章 风险管控

燃气经营者应当建立隐患排查制度，定期对地下室、餐饮场所的燃气设施开展安全检查，及时消除隐患。
""",
}


@dataclass
class ServedApp:
    url: str
    settings: Settings
    services: Services
    users_file: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_pdf(path: Path) -> Path:
    """A Chinese PDF with a real text layer (reportlab's built-in STSong-Light CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setTitle(PDF_TITLE)
    pdf.setFont("STSong-Light", 16)
    pdf.drawString(72, 760, PDF_TITLE)
    pdf.setFont("STSong-Light", 11)
    for row, line in enumerate(PDF_LINES):
        pdf.drawString(72, 730 - 18 * row, line)
    pdf.save()
    return path


@contextmanager
def serve_app(root: Path, retrieval: str = "lexical", **overrides: str) -> Iterator[ServedApp]:
    """Start the app in a thread; stop it and close the services afterwards."""
    library = root / "library"
    library.mkdir()
    for name, body in LIBRARY.items():
        (library / name).write_text(body, encoding="utf-8")
    users = root / "users.yaml"
    add_user(users, "zhang", PASSWORD, "admin")
    add_user(users, "li", PASSWORD, "officer")
    port = free_port()
    env = {
        "ASSISTANT_DATA_DIR": str(root / "data"),
        "ASSISTANT__KNOWLEDGE__SHIPPED_DIRS": f"[{library}]",
        "ASSISTANT__RETRIEVAL__MODE": retrieval,
        "ASSISTANT__ALERTS__API_TOKEN": TOKEN,
        "ASSISTANT__UI__PORT": str(port),
        "ASSISTANT__UI__USERS_FILE": str(users),
        **overrides,
    }
    settings = load_settings(env=env)
    services = build_services(settings)
    ensure_shipped_knowledge(services, background=False)
    server = uvicorn.Server(uvicorn.Config(build_app(services), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield ServedApp(url, settings, services, users)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        services.close()
