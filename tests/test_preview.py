"""``report serve`` and ``report watch`` without a browser: what the server may serve, the
page it makes, which saves count, the lines printed, and Ctrl-C.

The browser's side (the page following saves) is tests/test_preview_browser.py.
"""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import watchfiles
from running import Running
from support import Project, copy_sample

import report.app.preview as preview_module
from report import PROJECT_STYLES
from report.app.preview import Preview, Previewer
from report.app.server import LiveState, PreviewServer, Snapshot, page, refusal
from report.app.watch import ReportFiles, what_changed

HTML = (
    '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<title>T</title>\n</head>\n'
    '<body class="edition-report">\n<section class="chapter" id="a">A</section>\n</body>\n'
    "</html>\n"
)


# --- what may be served ----------------------------------------------------------------


def test_refusal_keeps_to_the_folder(tmp_path: Path) -> None:
    content, out = tmp_path / "c", tmp_path / "c" / "build"
    (content / "images").mkdir(parents=True)
    out.mkdir()
    (content / "images" / "logo.png").write_bytes(b"png")
    (content / ".git").mkdir()
    (content / ".git" / "config").write_text("secret")
    (out / "r.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret.txt").write_text("secret")
    (content / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert refusal(content / "images" / "logo.png", content, out) is None
    assert refusal(content / ".." / "secret.txt", content, out) == 403
    assert refusal(content / "link.txt", content, out) == 403
    assert refusal(content / ".git" / "config", content, out) == 404
    assert refusal(content / "build" / "r.pdf", content, out) == 404
    assert refusal(content / "images" / "missing.png", content, out) == 404
    assert refusal(content / "images", content, out) == 404  # a folder is not listed


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    """A server on a free port, in this process, showing a small document."""
    content = tmp_path / "c"
    (content / "images").mkdir(parents=True)
    (content / "images" / "logo.png").write_bytes(b"png")
    state = LiveState()
    state.update(True, html=HTML, stylesheets=(PROJECT_STYLES / "report.css",))
    running = PreviewServer(0, content, tmp_path / "out", state)
    running.serve_in_background()
    yield running
    running.stop()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    headers = {"Host": host} if host else {}
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    result = answer.status, dict(answer.getheaders()), answer.read()
    connection.close()
    return result


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/images/logo.png", 200),
        ("/_preview/styles/report.css", 200),
        ("/_preview/fonts/LinLibertine_R.otf", 200),  # report.css's @font-face
        ("/_preview/fonts/../styles/report.css", 403),
        ("/_preview/live.js", 200),
        ("/../secret", 403),
        ("/%2e%2e/%2e%2e/etc/passwd", 403),
        ("/_preview/styles/../report/__init__.py", 403),
        ("/_preview/nothing", 404),
        ("/report.pdf", 404),  # no PDF built yet
        ("/a%00b", 400),
    ],
)
def test_what_the_server_answers(server: PreviewServer, path: str, status: int) -> None:
    assert get(server, path)[0] == status


def test_the_page_runs_only_its_own_script(server: PreviewServer) -> None:
    _, headers, body = get(server, "/")
    policy = headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}" src="/_preview/live.js"' in body.decode()
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert headers["Cache-Control"] == "no-store"
    assert get(server, "/images/logo.png")[1]["Content-Security-Policy"].endswith("sandbox")


def test_another_host_name_is_refused(server: PreviewServer) -> None:
    """A page of another site reaching the server through a DNS name of its own."""
    port = server.server_port
    assert get(server, "/", host="attacker.example:80")[0] == 403
    assert get(server, "/", host=f"attacker.example:{port}")[0] == 403
    assert get(server, "/", host="127.0.0.1")[0] == 403  # port 80, not this one
    assert get(server, "/", host=f"localhost:{port}")[0] == 200


def test_a_template_without_head_or_body_still_gives_a_page() -> None:
    made = page(Snapshot(version=2, html="<p>Just text</p>"), Path(), "N")
    assert made.index('data-version="2"') < made.index("preview-bar") < made.index("<p>Just")


def test_the_pdf_is_the_last_good_build(server: PreviewServer, tmp_path: Path) -> None:
    pdf = tmp_path / "out" / "r.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7 last good")
    server.state.update(False, pdf=pdf)
    status, headers, body = get(server, "/report.pdf")
    assert (status, headers["Content-Type"], body) == (200, "application/pdf", pdf.read_bytes())
    assert "Content-Security-Policy" not in headers  # a PDF viewer refuses a sandboxed one


def test_the_event_stream_says_the_version_at_once(server: PreviewServer) -> None:
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as sock:
        sock.sendall(b"GET /_preview/events HTTP/1.0\r\n\r\n")
        received = b""
        while b"data: " not in received or not received.endswith(b"\n\n"):
            received += sock.recv(4096)
    assert b"text/event-stream" in received
    assert b'data: {"version": 1, "pdf": "not built yet"}' in received


# --- the page --------------------------------------------------------------------------


def test_the_page_is_the_document_with_links_bar_and_problems(tmp_path: Path) -> None:
    own = tmp_path / "styles" / "maison.css"
    own.parent.mkdir()
    own.write_text("p {}")
    now = Snapshot(
        version=3,
        html=HTML,
        stylesheets=(PROJECT_STYLES / "report.css", own),
        problems=("c/chapters/01.md:5: expression failed: <b>bold</b>",),
        warnings=("warning: one",),
        updated="12:00:00",
    )
    made = page(now, tmp_path, "NONCE")
    head, body = made.split("</head>")
    assert '<link rel="stylesheet" href="/_preview/styles/report.css?v=' in head
    assert '<link rel="stylesheet" href="/styles/maison.css?v=' in head
    assert head.index("report.css") < head.index("maison.css") < head.index("preview.css")
    assert 'data-version="3"' in head
    assert body.index("preview-bar") < body.index('<section class="chapter"')
    assert "expression failed: &lt;b&gt;bold&lt;/b&gt;" in body  # text, not markup
    assert "1 warning<" in body and "1 problem." in body
    assert (
        made.replace(made[made.index("<link") : made.index("</head>")], "").count(
            '<section class="chapter" id="a">A</section>'
        )
        == 1
    )


def test_before_any_good_build_the_page_shows_the_problems_alone() -> None:
    made = page(Snapshot(version=1, problems=("p/report.yaml:2: date: wrong",)), Path(), "N")
    assert "p/report.yaml:2: date: wrong" in made
    assert "<title>Report preview</title>" in made


# --- which saves count -----------------------------------------------------------------


def test_the_output_folder_and_editor_files_start_no_build(tmp_path: Path) -> None:
    keep = ReportFiles(tmp_path / "c" / "build")
    modified = watchfiles.Change.modified
    assert keep(modified, str(tmp_path / "c" / "chapters" / "01.md"))
    assert keep(modified, str(tmp_path / "c" / "data" / "measures.yaml"))
    assert not keep(modified, str(tmp_path / "c" / "build" / "rapport.pdf"))
    assert not keep(modified, str(tmp_path / "c" / "build" / ".cache" / "charts" / "x.svg"))
    assert not keep(modified, str(tmp_path / "c" / "chapters" / ".01.md.swp"))
    assert not keep(modified, str(tmp_path / "c" / "chapters" / "01.md~"))
    assert not keep(modified, str(tmp_path / "c" / "chapters" / "4913"))


def test_what_changed_names_the_first_file(project: Project) -> None:
    assert what_changed([]) == ""
    assert what_changed([project.path("a.md")]) == " after saving p/a.md"
    files = [project.path(name) for name in ("a.md", "b.md", "c.md")]
    assert what_changed(files) == " after saving p/a.md and 2 other files"


class NoPdf:
    def request(self, pdf: Path) -> None:
        self.asked = pdf


def test_a_chapter_save_keeps_the_settings_and_data(project: Project, monkeypatch) -> None:
    read = []
    original = preview_module.read_inputs
    monkeypatch.setattr(
        preview_module, "read_inputs", lambda *args: read.append(1) or original(*args)
    )
    state = LiveState()
    previewer = Previewer(Preview(project.root, project.root.parent / "out"), state, NoPdf())
    previewer.update([])
    chapter = project.path("chapters/01-synthese.md")
    project.append("chapters/01-synthese.md", "Un ajout.")
    previewer.update([chapter])
    assert len(read) == 1 and "Un ajout." in state.now.html
    project.replace("data/measures.yaml", "title:", "title: Modifié")
    previewer.update([project.path("data/measures.yaml")])
    assert len(read) == 2 and "Modifié" in state.now.html
    project.replace("chapters/01-synthese.md", "{{ figures.total }}", "{{ figures.totl }}")
    previewer.update([chapter])
    assert state.now.problems and state.now.problems[0].startswith(
        "p/chapters/01-synthese.md:5: expression failed"
    )
    assert "Un ajout." in state.now.html  # the last good document stays
    assert state.now.version == 4


# --- the commands ----------------------------------------------------------------------


def test_watch_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    copy_sample(tmp_path / "p")
    watching = Running(["watch", "p", "-o", "out"], tmp_path)
    try:
        watching.wait_for(r"^\d\d:\d\d:\d\d Built out/essai\.pdf: \d+ pages in")
        start = len(watching.lines)
        chapter = tmp_path / "p" / "chapters" / "01-synthese.md"
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace("{{ figures.total }}", "{{ figures.totl }}"))
        watching.wait_for(r"^p/chapters/01-synthese\.md:5: expression failed", after=start)
        watching.wait_for(
            r"Build failed: 1 problem in [\d.]+ s after saving p/chapters/01-synthese\.md; "
            r"the previous PDF is unchanged",
            after=start,
        )
        start = len(watching.lines)
        chapter.write_text(text + "\nEncore.\n", encoding="utf-8")
        watching.wait_for(r"Built out/essai\.pdf: .* after saving p/chapters", after=start)
        assert watching.interrupt() == 130
    finally:
        watching.stop()
    assert not any("Traceback" in line for line in watching.lines), watching.lines


def test_serve_stops_on_ctrl_c_with_exit_130(tmp_path: Path) -> None:
    copy_sample(tmp_path / "p")
    serving = Running(["serve", "p", "-o", "out"], tmp_path)
    try:
        serving.url()
        assert serving.interrupt() == 130
    finally:
        serving.stop()
    assert serving.lines[-1] == "interrupted: nothing was written by the unfinished build"
    assert not any("Traceback" in line for line in serving.lines), serving.lines


def test_serve_on_a_port_in_use_says_so_in_one_line(project: Project, cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = cli("serve", "p", "--port", str(port))
    assert run.code == 1
    assert run.lines == [
        f"127.0.0.1:{port}: cannot serve the preview (Address already in use); choose "
        "another --port, or leave --port out for a free one",
        "Not started: 1 problem",
    ]


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_a_wrong_port_is_a_usage_error(project: Project, cli, port: str) -> None:
    run = cli("serve", "p", "--port", port)
    assert run.code == 2
    assert run.lines[-1].endswith(f"argument --port: '{port}' is not a port number (1 to 65535)")


@pytest.mark.parametrize("command", ["serve", "watch"])
def test_a_missing_folder_is_one_line(project: Project, cli, command: str) -> None:
    run = cli(command, "nowhere")
    assert run.code == 1
    assert run.lines == [
        "nowhere: content folder not found; give the folder that holds report.yaml",
        "Not started: 1 problem",
    ]


def test_a_page_gone_away_is_no_error(server: PreviewServer, capsys) -> None:
    try:
        raise BrokenPipeError("the page reloaded")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
