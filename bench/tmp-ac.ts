import autocannon from 'autocannon';
import { cpuSeconds, startApp } from './lib/app-process';
(async () => {
  Object.assign(process.env, { DATABASE_URL: 'mysql://root@127.0.0.1:3306/praktiknav_bench', REDIS_URL: 'redis://127.0.0.1:6379/5', QUEUE_PREFIX: 'pn-bench', APP_ROLE: 'api', LOG_LEVEL: 'error', LOGIN_MAX_ATTEMPTS: '1000' });
  const app = await startApp({});
  const login = await fetch(`${app.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@bench.se', password: 'bench-password-1' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const tok = await fetch(`${app.base}/api/v1/api-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'x' }) });
  const auth = { authorization: `Bearer ${((await tok.json()) as any).token}` };
  for (const path of process.argv.slice(2)) {
    for (const d of [2, 8]) {
      const c0 = cpuSeconds(app.child.pid); const l0 = process.cpuUsage();
      const r = await new Promise<autocannon.Result>((res, rej) => autocannon({ url: app.base + path, connections: 32, duration: d, headers: auth }, (e, x) => (e ? rej(e) : res(x))));
      const l = process.cpuUsage(l0);
      if (d === 8) console.log(path, `p50 ${r.latency.p50} p99 ${r.latency.p99} ${r.requests.average} req/s; app ${((cpuSeconds(app.child.pid) - c0) * 1000 / r.requests.total).toFixed(2)} ms/req, loadgen ${((l.user + l.system) / 1000 / r.requests.total).toFixed(2)}`);
    }
  }
  app.stop(); process.exit(0);
})();
