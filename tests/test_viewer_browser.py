"""The frame viewer (`climb_smoothing.viewer.FrameViewer`) in JupyterLab, in a real browser (issue 13).

Starts JupyterLab from the project's venv on 127.0.0.1 (a free port, a random token, `--allow-root`,
no browser, its settings, workspaces and runtime files in a temporary folder), writes a small viewer
notebook into that folder (`VIEWER_CELLS`: one synthetic climb and its first 40 frames as a second
sequence, the simulated estimator's decoded track as the noisy input, three classical smoothers, the
estimator's and the target heatmaps), opens
it in headless Chromium, runs it from the Run menu and checks what a user sees:

1. the viewer appears (controls with every track's checkbox, and the drawn figure), no error output;
2. moving the frame slider (a mouse drag, then the arrow keys) changes the drawn image, and every
   key press is followed by a new image — timed from the key press to the new image having loaded
   in the page; after a burst of presses the image shown is the one of the last frame, not a stale one;
3. unticking a track removes it: the noisy input's red disappears from the image, and comes back;
4. the heatmap row shows the selected keypoint: for two keypoints of the `target` maps, the bright
   spot in each of the five heat panels lies where that keypoint is in the frame's crop;
5. choosing the other sequence (the first 40 frames) clips the slider to its range and redraws;
6. in a narrower window (1100 px: a laptop with the file browser open) the whole figure is visible.

Image checks read the image widget's own PNG bytes (fetched from its blob URL in the page), so they
see exactly what the browser draws. Screenshots of each step go to the test's temporary folder
(`<pytest tmp>/screenshots`, printed; `CLIMB_BROWSER_SHOTS=folder` puts them elsewhere), with the
measured timings in `timings.json`;
`CLIMB_VIEWER_FIGURE=path` also writes the viewer screenshot there (how `figures/viewer_jupyterlab.png`
is made; the test never writes into `figures/` by itself).

**Driver: Playwright's Python package, pointed at Debian's `/usr/bin/chromium` (`executable_path`)**,
not Selenium + `chromium-driver`: Playwright waits for elements and conditions itself
(`wait_for_selector`, `wait_for_function`), which the asynchronous widget rendering needs; it
evaluates JavaScript in the page to time the redraw and read the image bytes; and it needs no
driver binary whose version must match the browser. Its pip package ships its own driver and never
downloads a browser unless `playwright install` is run (never here: there is no network for that).

Bounded: the server must answer within `SERVER_START_S`, every wait has a timeout, and the server,
its kernel and the browser are always stopped. If Chromium is missing or cannot start, the test
fails with a message saying so — it never skips (`bash scripts/setup.sh` installs Debian's chromium
when it is missing).
"""
import base64, io, json, os, secrets, shutil, signal, socket, statistics, subprocess, sys, time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVER_START_S = 90          # JupyterLab must answer within this
RUN_TIMEOUT_MS = 180_000     # the notebook (imports, estimator, smoothers) must show the viewer within this
STEP_TIMEOUT_MS = 30_000     # every later redraw must arrive within this
REDRAW_BOUND_MS = 1500       # median slider -> new image; the goal is < 300 ms on a calm 2-core machine
N_TIMED = 8                  # timed key presses
RED = (214, 39, 40)          # matplotlib's tab:red, the noisy input's colour (viewer.track_colors)

VIEWER_CELLS = [
    "# The frame viewer on one synthetic climb (made by tests/test_viewer_browser.py)\n"
    "import numpy as np\n"
    "from climb_smoothing.synthetic import synthesize_climb, simulate_estimator\n"
    "from climb_smoothing.heatmaps import render_heatmaps\n"
    "from climb_smoothing.crops import from_crop, to_crop, decode_heatmaps\n"
    "from climb_smoothing.tracks import smooth_tracks\n"
    "from climb_smoothing.data import Sequence\n"
    "from climb_smoothing.viewer import FrameViewer, NOISY",
    "seq = synthesize_climb(0); est = simulate_estimator(seq, 0)\n"
    "noisy = from_crop(decode_heatmaps(est.heatmaps), est.boxes)\n"
    "# the smoothers first, so the noisy input (red) is drawn on top of them\n"
    "tracks = {**{m: smooth_tracks(noisy, seq.present, m) for m in ('gaussian', 'savgol', 'one_euro')}, NOISY: noisy}\n"
    "heatmaps = {'estimator': est.heatmaps, 'target': render_heatmaps(to_crop(seq.keypoints, est.boxes), seq.present, 1.0)}\n"
    "# a second, shorter sequence: its first 40 frames\n"
    "short = Sequence(seq.keypoints[:40], seq.present[:40], seq.fps, seq.image_size, dict(seq.meta, action='first 40 frames'))\n"
    "cut = lambda d: {k: v[:40] for k, v in d.items()}\n"
    "viewer = FrameViewer([seq, short], tracks=[tracks, cut(tracks)], heatmaps=[heatmaps, cut(heatmaps)],\n"
    "                     boxes=[est.boxes, est.boxes[:40]])",
    "viewer",
]
TRACKS = ['ground truth', 'gaussian', 'savgol', 'one_euro', 'noisy input']
IMG = '.jp-OutputArea img.widget-image'
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def chromium_path() -> str:
    "Debian's chromium ($CLIMB_CHROMIUM to use another); a failing test if there is none."
    p = os.environ.get('CLIMB_CHROMIUM') or shutil.which('chromium') or shutil.which('chromium-browser')
    if not p or not Path(p).exists():
        pytest.fail('the browser test needs Debian\'s chromium, and there is none on PATH: run `bash scripts/setup.sh` '
                    'as root (it runs `apt-get install -y chromium` when chromium is missing) or set CLIMB_CHROMIUM')
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def _api(base, token, path, method='GET'):
    req = urllib.request.Request(f'{base}{path}', method=method, headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(req, timeout=5) as r: body = r.read()
    return json.loads(body) if body else None


def _own_kernels(runtime: Path) -> list[int]:
    "Pids of processes whose command line names our (unique) runtime folder: the kernels this server started."
    pids = []
    for p in Path('/proc').iterdir():
        if not p.name.isdigit(): continue
        try: cmd = (p / 'cmdline').read_bytes()
        except OSError: continue
        if str(runtime).encode() in cmd: pids.append(int(p.name))
    return pids


@contextmanager
def jupyter_lab(root_dir: Path, work: Path):
    "A JupyterLab server on 127.0.0.1 serving `root_dir`; yields (base url, token); always stops it and its kernels."
    token, runtime, settings = secrets.token_hex(16), work / 'runtime', work / 'settings'
    notif = settings / '@jupyterlab' / 'apputils-extension'; notif.mkdir(parents=True, exist_ok=True)
    (notif / 'notification.jupyterlab-settings').write_text(json.dumps({'fetchNews': 'false', 'checkForUpdates': False}))
    env = {**os.environ, 'JUPYTER_RUNTIME_DIR': str(runtime), 'JUPYTER_CONFIG_DIR': str(work / 'config'),
           'JUPYTER_DATA_DIR': str(work / 'data'), 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1'),
           'MPLBACKEND': 'Agg'}
    log_path = work / 'jupyterlab.log'
    log = open(log_path, 'w')
    proc = base = None
    try:
        for attempt in range(3):   # the free port may be taken before the server binds it: then another port
            port = free_port(); base = f'http://127.0.0.1:{port}'
            cmd = [str(BIN / 'jupyter-lab'), '--no-browser', '--allow-root', '--ip=127.0.0.1', f'--port={port}',
                   '--ServerApp.port_retries=0', f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root_dir}',
                   f'--LabApp.user_settings_dir={settings}', f'--LabApp.workspaces_dir={work / "workspaces"}']
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
            t0 = time.monotonic()
            while proc.poll() is None:
                try: _api(base, token, '/api/status'); break
                except OSError:
                    if time.monotonic() - t0 > SERVER_START_S:
                        pytest.fail(f'JupyterLab did not answer on {base} within {SERVER_START_S} s:\n' + log_path.read_text()[-3000:])
                    time.sleep(0.25)
            if proc.poll() is None: break
            if 'already in use' not in log_path.read_text() or attempt == 2:
                pytest.fail(f'JupyterLab exited with code {proc.returncode} at start:\n' + log_path.read_text()[-3000:])
        yield base, token
    finally:
        if proc is not None and proc.poll() is None:
            try:   # the clean way: shut every kernel down, then the server
                for k in _api(base, token, '/api/kernels') or []: _api(base, token, f'/api/kernels/{k["id"]}', 'DELETE')
                _api(base, token, '/api/shutdown', 'POST')
            except Exception: pass
            try: proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL); proc.wait(10)
        for pid in _own_kernels(runtime):      # kernels run in their own session: never leave one behind
            try: os.kill(pid, signal.SIGKILL)
            except ProcessLookupError: pass
        log.close()


def write_notebook(path: Path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in VIEWER_CELLS]
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'}
    nbformat.write(nb, path)


# --- reading what the page shows -----------------------------------------------------------------------------
def image_png(page) -> bytes:
    "The PNG bytes the image widget shows (fetched from its blob URL inside the page)."
    b64 = page.evaluate("""async (sel) => {
        const img = document.querySelector(sel);
        const buf = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let s = ''; for (let i = 0; i < buf.length; i += 8192) s += String.fromCharCode(...buf.subarray(i, i + 8192));
        return btoa(s); }""", IMG)
    return base64.b64decode(b64)


def rgb(png: bytes) -> np.ndarray:
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert('RGB')).astype(int)


def count_colour(png: bytes, colour, tol: int = 40) -> int:
    return int((np.abs(rgb(png) - np.array(colour)).sum(-1) < tol).sum())


def heat_spots(png: bytes) -> list:
    """Bright spot of each heat panel in crop coordinates (x, y), left to right: the panels are the five
    largest boxes of viridis' zero colour in the lower half of the figure; a panel with nothing above zero gives None."""
    im = rgb(png); H = im.shape[0]
    bg = (np.abs(im - np.array([68, 1, 84])).sum(-1) < 12)
    bg[:H // 2] = False
    cols = bg.sum(0) > 20
    runs, x = [], 0
    while x < len(cols):                      # contiguous column runs = panels
        if cols[x]:
            x1 = x
            while x1 < len(cols) and cols[x1]: x1 += 1
            runs.append((x, x1)); x = x1
        else: x += 1
    runs = sorted(sorted(runs, key=lambda r: r[1] - r[0])[-5:])
    out = []
    for x0, x1 in runs:
        rows = np.where(bg[:, x0:x1].sum(1) > (x1 - x0) // 3)[0]
        y0, y1 = rows.min(), rows.max() + 1
        panel = im[y0:y1, x0:x1]
        lum = np.abs(panel - np.array([68, 1, 84])).sum(-1)
        ys, xs = np.where(lum > 150)
        if not len(xs): out.append(None); continue
        w = lum[ys, xs].astype(float)
        cx, cy = (xs * w).sum() / w.sum() + 0.5, (ys * w).sum() / w.sum() + 0.5
        out.append((cx / (x1 - x0) * 56 - 0.5, cy / (y1 - y0) * 56 - 0.5))
    return out


def slider_value(page) -> int:
    return int(page.locator('.jp-OutputArea .widget-slider .widget-readout').first.inner_text().strip())


def wait_new_image(page, n_before: int):
    "Wait until the image widget has loaded an image after the `n_before`-th load; return (load time ms, page clock)."
    page.wait_for_function('(n) => window.__loads.length > n', arg=n_before, timeout=STEP_TIMEOUT_MS)
    return page.evaluate('(n) => window.__loads[n]', n_before)


def settle(page, quiet_ms: int = 800):
    "Wait until no new image has arrived for `quiet_ms`."
    last, t0 = -1, time.monotonic()
    while time.monotonic() - t0 < STEP_TIMEOUT_MS / 1000:
        n = page.evaluate('() => window.__loads.length')
        if n == last: return
        last = n; page.wait_for_timeout(quiet_ms)
    raise AssertionError('the image kept changing')


# --- the test ------------------------------------------------------------------------------------------------
def test_viewer_in_jupyterlab(tmp_path):
    from playwright.sync_api import sync_playwright, Error as PlaywrightError
    t_start = time.monotonic()
    exe = chromium_path()
    shots = Path(os.environ.get('CLIMB_BROWSER_SHOTS') or tmp_path / 'screenshots')   # pytest keeps the last 3 runs'
    shots.mkdir(parents=True, exist_ok=True)
    print(f'screenshots: {shots}')
    nbdir = tmp_path / 'notebooks'; nbdir.mkdir()
    write_notebook(nbdir / 'viewer.ipynb')
    timings = {}

    # what the heat row must show: the target maps peak at the ground truth carried into each frame's box
    from climb_smoothing.synthetic import synthesize_climb, simulate_estimator
    from climb_smoothing.crops import to_crop
    from climb_smoothing.skeleton import KP
    seq = synthesize_climb(0); crop_xy = to_crop(seq.keypoints, simulate_estimator(seq, 0).boxes)

    with jupyter_lab(nbdir, tmp_path / 'lab') as (base, token), sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=exe, headless=True, timeout=60_000,
                                         args=['--disable-gpu', '--disable-dev-shm-usage'])
        except PlaywrightError as e:
            pytest.fail(f'headless Chromium ({exe}) could not start: {e}'.splitlines()[0][:2000])
        try:
            page = browser.new_page(viewport={'width': 1400, 'height': 1100})
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.goto(f'{base}/lab/tree/viewer.ipynb?token={token}')
            page.wait_for_selector('.jp-NotebookPanel .jp-Cell', timeout=RUN_TIMEOUT_MS)
            page.wait_for_selector('#jp-main-statusbar >> text=Idle', timeout=RUN_TIMEOUT_MS)
            timings['lab_open_s'] = round(time.monotonic() - t_start, 1)

            # 1. run the notebook from the Run menu; the viewer appears
            page.get_by_role('menuitem', name='Run', exact=True).click()
            page.get_by_role('menuitem', name='Run All Cells', exact=True).click()
            shown = page.wait_for_function(f"""(sel) => {{ const i = document.querySelector(sel);
                if (i && i.complete && i.naturalWidth > 0) return 'viewer';
                for (const e of document.querySelectorAll('{STDERR}'))
                    if (/Traceback|Error/.test(e.innerText)) return e.innerText;
                return false }}""", arg=IMG, timeout=RUN_TIMEOUT_MS).json_value()
            assert shown == 'viewer', f'the notebook failed:\n{shown}'
            timings['viewer_shown_s'] = round(time.monotonic() - t_start, 1)
            page.evaluate("""(sel) => { const img = document.querySelector(sel);
                window.__loads = []; window.__keys = [];
                img.addEventListener('load', () => window.__loads.push(performance.now()));
                document.addEventListener('keydown', () => window.__keys.push(performance.now()), true); }""", IMG)
            out = page.locator('.jp-OutputArea').filter(has=page.locator('img.widget-image')).first
            stderr = page.locator(STDERR).all_inner_texts()
            errors = [t for t in stderr if 'Traceback' in t or 'Error' in t]
            assert not errors, 'the notebook failed:\n' + '\n'.join(errors)
            labels = [t.strip() for t in out.locator('.widget-checkbox').all_inner_texts()]
            assert labels == TRACKS, labels
            assert out.locator('.widget-slider').count() == 1
            page.screenshot(path=shots / '1_viewer.png')
            page.locator('.jp-Cell').last.screenshot(path=shots / 'viewer_cell.png')
            first = image_png(page); assert first[:8] == b'\x89PNG\r\n\x1a\n'
            assert count_colour(first, RED) > 100, 'the noisy input (red) is not drawn'

            # 2. the slider: a mouse drag moves it and the image follows
            handle = out.locator('.widget-slider .noUi-handle').first
            box = handle.bounding_box()
            n = page.evaluate('() => window.__loads.length')
            page.mouse.move(box['x'] + box['width'] / 2, box['y'] + box['height'] / 2); page.mouse.down()
            page.mouse.move(box['x'] + box['width'] / 2 + 40, box['y'] + box['height'] / 2, steps=5); page.mouse.up()
            wait_new_image(page, n); settle(page)
            start = slider_value(page); assert start > 0, 'the drag did not move the slider'
            moved = image_png(page); assert moved != first, 'moving the slider did not change the image'
            page.screenshot(path=shots / '2_slider_dragged.png')

            # ... and every arrow key is one new image: slider move -> new image loaded, in ms
            handle.focus()
            ms = []
            for i in range(N_TIMED):
                n = page.evaluate('() => window.__loads.length')
                page.keyboard.press('ArrowRight')
                loaded = wait_new_image(page, n)
                ms.append(loaded - page.evaluate('() => window.__keys[window.__keys.length - 1]'))
                assert slider_value(page) == start + i + 1
            timings['redraw_ms'] = [round(x) for x in ms]
            timings['redraw_median_ms'] = round(statistics.median(ms))
            # a burst of presses: the image ends on the last frame's, not a stale one
            for _ in range(5): page.keyboard.press('ArrowRight')
            settle(page); v_burst = slider_value(page); assert v_burst == start + N_TIMED + 5
            burst = image_png(page)
            page.keyboard.press('ArrowLeft'); settle(page); page.keyboard.press('ArrowRight'); settle(page)
            assert slider_value(page) == v_burst
            assert image_png(page) == burst, 'after a burst of slider moves the image is not the last frame\'s'

            # 3. unticking a track removes it from the drawing, ticking brings it back
            before = image_png(page)
            box_ = out.locator('.widget-checkbox').filter(has_text='noisy input').locator('input')
            n = page.evaluate('() => window.__loads.length'); box_.click(); wait_new_image(page, n); settle(page)
            off = image_png(page)
            page.screenshot(path=shots / '3_noisy_input_off.png')
            assert off != before
            assert count_colour(off, RED) < 0.02 * count_colour(before, RED), 'unticked, the noisy input is still drawn'
            n = page.evaluate('() => window.__loads.length'); box_.click(); wait_new_image(page, n); settle(page)
            assert count_colour(image_png(page), RED) > 0.5 * count_colour(before, RED)

            # 4. the heatmap row shows the selected keypoint (target maps: the spot sits on that keypoint)
            frames = np.arange(v_burst, v_burst + 5)
            out.locator('.widget-dropdown').filter(has_text='heatmaps').locator('select').select_option('target')
            settle(page)
            for name in ('right_knee', 'left_wrist'):
                out.locator('.widget-dropdown').filter(has_text='keypoint').locator('select').select_option(name)
                settle(page)
                spots, want = heat_spots(image_png(page)), crop_xy[frames, KP[name]]
                page.screenshot(path=shots / f'4_heatmaps_{name}.png')
                assert len(spots) == 5 and all(s is not None for s in spots), spots
                np.testing.assert_allclose(np.array(spots), want, atol=1.5,
                                           err_msg=f'the heat row does not show {name} where it is in the crop')

            # 5. another sequence: the slider's range follows it (value clipped to the new maximum), so does the image
            before = image_png(page)
            n = page.evaluate('() => window.__loads.length')
            out.locator('.widget-dropdown').filter(has_text='sequence').locator('select').select_option(
                label='synthetic climb_0 first 40 frames')
            wait_new_image(page, n); settle(page)
            test_max = out.locator('.widget-slider .noUi-handle').first.get_attribute('aria-valuemax')
            assert (slider_value(page), float(test_max)) == (35, 35.0), (slider_value(page), test_max)
            assert image_png(page) != before
            page.screenshot(path=shots / '5_short_sequence.png')

            # 6. in a narrower window (a laptop, the file browser open) the whole figure is still visible
            page.set_viewport_size({'width': 1100, 'height': 1000}); page.wait_for_timeout(500)
            fits = page.evaluate('''(sel) => { const i = document.querySelector(sel).getBoundingClientRect();
                const o = document.querySelector(sel).closest('.jp-OutputArea').getBoundingClientRect();
                return [i.left >= o.left - 1 && i.right <= o.right + 1, i.width, o.width] }''', IMG)
            page.screenshot(path=shots / '6_narrow_window.png')
            assert fits[0], f'the figure ({fits[1]:.0f} px wide) is cut off by the output area ({fits[2]:.0f} px)'
        finally:
            browser.close()
            timings['test_s'] = round(time.monotonic() - t_start, 1)
            (shots / 'timings.json').write_text(json.dumps(timings, indent=1))
            print('timings:', timings)
    if os.environ.get('CLIMB_VIEWER_FIGURE'): shutil.copy(shots / '3_noisy_input_off.png', os.environ['CLIMB_VIEWER_FIGURE'])
    assert timings['redraw_median_ms'] < REDRAW_BOUND_MS, timings
