// Preloaded with `node --require` by cli/lazy-commands.test.ts: at exit, writes the packages under
// node_modules the process loaded through require (the server and DuckDB packages are CommonJS,
// and the compiled CLI requires them) to the file named by UPKEEP_LOADED_PACKAGES.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1].replace('\\', '/'));
  }
  writeFileSync(process.env.UPKEEP_LOADED_PACKAGES, JSON.stringify([...names].sort()));
});
