// Installs what the project needs and is missing, so `npm start` and `npm test` work on a fresh clone.
// Plain CommonJS with Node built-ins only: it runs before anything is installed.
//   - Node modules: `npm install` (locked versions) when node_modules is missing or older than package-lock.json.
//   - with --browser: Debian's Chromium for the tests that look at the Temporal UI (apt-get, as root).
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const marker = path.join(root, 'node_modules', '.package-lock.json');

const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  // npm install keeps to the lock; npm ci would refuse it (see .ci/run). --no-save leaves package-lock.json as
  // committed: without it npm rewrites the lock with entries for other platforms, and a fresh clone is left changed.
  console.error('[install] installing Node modules (npm install)...');
  execSync('npm install --no-save --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

const browsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
if (process.argv.includes('--browser') && !browsers.some((p) => fs.existsSync(p))) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? '' : 'sudo ';
  console.error('[install] installing Chromium from Debian packages for the UI tests...');
  try {
    execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`, {
      stdio: 'inherit',
    });
  } catch {
    console.error('[install] could not install Chromium (apt-get install chromium); the UI test will fail.');
    process.exitCode = 1;
  }
}
