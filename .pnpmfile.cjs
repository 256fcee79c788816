// Native addons (better-sqlite3) build with node-gyp when no prebuilt binary can be fetched.
// Point node-gyp at the running Node's own headers (<prefix>/include/node) so it never tries to
// download them: machines without internet access to nodejs.org still install.
const path = require('node:path');
const fs = require('node:fs');
const prefix = path.resolve(process.execPath, '..', '..');
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) {
  process.env.npm_config_nodedir = prefix;
}
module.exports = { hooks: {} };
