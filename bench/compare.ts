/**
 * `npm run bench:compare` — clout's matched comparison beside a Python reference, same data, same run, same machine:
 * 100,000 units, 20 covariates (3 heavy-tailed counts taken as log(1 + x)), confounded treatment (≈ 30% treated), a
 * planted ATT of 2. Both sides do the same work:
 *
 *   propensity  logistic regression by Newton/IRLS — clout's own (typed arrays); statsmodels `Logit.fit(method='newton')`
 *   matching    1:1 nearest neighbour on logit e, without replacement (pinned on both sides; clout's default is with),
 *               greedy by decreasing score, caliper 0.2 s.d.,
 *               bias-corrected by a least-squares outcome model of the controls; matched-sets variance — clout's
 *               sorted outward search; numpy sort + a Python loop over the treated with the same skip pointers
 *   IPW         ATT weights (Hájek), influence function with the score's correction (sandwich)
 *   AIPW        5-fold cross-fitting: per fold a logit (statsmodels in Python) and a least-squares control model
 *               (numpy lstsq), the doubly robust ATT and its influence function
 *   bootstrap   1,000 multiplier (Rademacher) draws over the IPW and AIPW influence functions — numpy draws the
 *               multipliers in blocks and multiplies them into ψ (a matrix product)
 *   diagnostics SMD and variance ratios before/after matching and weighting; the score's histogram; units outside
 *               common support and matching re-run without them
 *
 * Each side is timed in-process (data already in memory, interpreter and JIT warm), as the median of `--runs` after
 * one warm-up run; the estimates of both are printed so the work can be seen to agree. statsmodels comes from
 * Debian's python3-statsmodels; when no Python on the PATH has it, the script runs `apt-get install` (root).
 *
 *   node dist/bench/compare.js [--runs 3] [--n 100000] [--seed 1]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/domain/index.js';
import { compareGroups, type CompareData } from '../src/analysis/compare/index.js';
import { ensureStatsmodels } from './statsmodels.js';

const P = 20, LOGGED = [0, 1, 2];

function makeData(n: number, seed: number): { data: CompareData; raw: Float64Array } {
  const rng = new Rng(seed);
  const raw = new Float64Array(n * (P + 2)); // covariates, treatment, outcome
  const cols = Array.from({ length: P }, () => new Float64Array(n));
  const treatment = new Uint8Array(n), outcome = new Float64Array(n);
  const beta = Array.from({ length: P }, (_, j) => (j < 8 ? 0.3 - 0.05 * j : 0.02));
  for (let i = 0; i < n; i++) {
    let eta = -1.2, mu = 1;
    for (let j = 0; j < P; j++) {
      let x: number, used: number;
      if (LOGGED.includes(j)) {
        x = Math.max(0, Math.floor(Math.expm1(rng.normal(5 + j, 1.3))));
        used = (Math.log1p(x) - (5 + j)) / 1.3;
      } else {
        x = rng.normal();
        used = x;
      }
      cols[j]![i] = x;
      eta += beta[j]! * used * 1.5;
      mu += (j % 3 === 0 ? 1 : 0.4) * used;
    }
    const t = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    treatment[i] = t;
    outcome[i] = mu + 2 * t + rng.normal(0, 2);
    for (let j = 0; j < P; j++) raw[i * (P + 2) + j] = cols[j]![i]!;
    raw[i * (P + 2) + P] = t;
    raw[i * (P + 2) + P + 1] = outcome[i]!;
  }
  const covariates = cols.map((values, j) => ({ name: `x${j + 1}`, values, ...(LOGGED.includes(j) ? { log: true } : {}) }));
  return { data: { treatment, outcome, covariates }, raw };
}

const PYTHON = String.raw`
import sys, time, json
import numpy as np
import warnings
warnings.simplefilter("ignore")
import statsmodels.api as sm
path, n, p, runs, draws = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
logged = [int(v) for v in sys.argv[6].split(",")]
raw = np.fromfile(path, dtype="<f8").reshape(n, p + 2)

def logit_fit(X, t):
    return sm.Logit(t, X).fit(method="newton", maxiter=100, tol=1e-10, disp=False)

def match_greedy(lp, t, caliper):
    width = caliper * lp.std(ddof=1)
    ctrl = np.flatnonzero(t == 0)
    ctrl = ctrl[np.lexsort((ctrl, lp[ctrl]))]
    cs = lp[ctrl]
    m = len(ctrl)
    nxt = list(range(m + 1))   # first unused position >= k
    prv = list(range(m + 1))   # shifted: prv[k+1]-1 = last unused position <= k
    def find_up(k):
        r = k
        while nxt[r] != r: r = nxt[r]
        while nxt[k] != r: nxt[k], k = r, nxt[k]
        return r
    def find_down(k):
        r = k + 1
        while prv[r] != r: r = prv[r]
        q = k + 1
        while prv[q] != r: prv[q], q = r, prv[q]
        return r - 1
    tr = np.flatnonzero(t == 1)
    tr = tr[np.lexsort((tr, -lp[tr]))]
    pos = np.searchsorted(cs, lp[tr], side="left")
    pairs_t, pairs_c = [], []
    for i, k in zip(tr.tolist(), pos.tolist()):
        s = lp[i]
        right = find_up(k)
        left = find_down(k - 1)
        dl = s - cs[left] if left >= 0 else np.inf
        dr = cs[right] - s if right < m else np.inf
        if dl <= dr:
            if dl > width: continue
            j = left
        else:
            if dr > width: continue
            j = right
        nxt[j] = j + 1
        prv[j + 1] = j
        pairs_t.append(i); pairs_c.append(ctrl[j])
    return np.array(pairs_t), np.array(pairs_c)

def run():
    X = raw[:, :p].copy()
    for j in logged: X[:, j] = np.log1p(X[:, j])
    t = raw[:, p].astype(np.int64); y = raw[:, p + 1]
    Xc = sm.add_constant(X)
    res = logit_fit(Xc, t)
    lp = Xc @ res.params
    e = 1 / (1 + np.exp(-lp))
    # matching, bias-corrected by OLS on the controls, matched-sets variance
    def matching(lp, t, y, Xc):
        pt, pc = match_greedy(lp, t, 0.2)
        b0 = np.linalg.lstsq(Xc[t == 0], y[t == 0], rcond=None)[0]
        mu0 = Xc @ b0
        d = y[pt] - (y[pc] + mu0[pt] - mu0[pc])
        return d.mean(), d.std(ddof=1) / np.sqrt(len(d)), pt, pc
    m_est, m_se, pt, pc = matching(lp, t, y, Xc)
    # IPW (ATT, Hajek) with the sandwich influence function
    w = np.where(t == 1, 1.0, e / (1 - e))
    mu1 = y[t == 1].mean(); mu0 = np.sum(w * (1 - t) * y) / np.sum(w * (1 - t))
    c1 = t.mean(); c0 = np.sum(w * (1 - t)) / n
    G0 = Xc.T @ ((1 - t) * (y - mu0) * e / (1 - e))
    H = (Xc * (e * (1 - e))[:, None]).T @ Xc
    v0 = np.linalg.solve(H, G0)
    corr = (t - e) * (Xc @ v0)
    psi_ipw = t * (y - mu1) / c1 - ((1 - t) * w * (y - mu0) + corr) / c0
    ipw = mu1 - mu0
    # AIPW, 5 folds (stratified), logit + OLS per fold
    rng = np.random.default_rng(1)
    fold = np.empty(n, dtype=np.int64)
    for arm in (1, 0):
        idx = np.flatnonzero(t == arm); rng.shuffle(idx); fold[idx] = np.arange(len(idx)) % 5
    ef = np.empty(n); m0f = np.empty(n)
    for k in range(5):
        tr_, te = fold != k, fold == k
        r = logit_fit(Xc[tr_], t[tr_])
        ef[te] = np.clip(1 / (1 + np.exp(-(Xc[te] @ r.params))), 0.01, 0.99)
        b = np.linalg.lstsq(Xc[tr_ & (t == 0)], y[tr_ & (t == 0)], rcond=None)[0]
        m0f[te] = Xc[te] @ b
    d = y - m0f; r_ = ef / (1 - ef)
    A = d[t == 1].mean(); B = np.sum((1 - t) * r_ * d) / np.sum((1 - t) * r_)
    aipw = A - B
    psi_aipw = t * (d - A) / c1 - (1 - t) * r_ * (d - B) / (np.sum((1 - t) * r_) / n)
    # multiplier bootstrap, Rademacher, blocks of 50 draws
    g = np.random.default_rng(1)
    Psi = np.vstack([psi_ipw, psi_aipw]).T
    out = np.empty((draws, 2))
    for s in range(0, draws, 50):
        xi = g.integers(0, 2, size=(min(50, draws - s), n), dtype=np.int8).astype(np.float64) * 2 - 1
        out[s:s + len(xi)] = xi @ Psi / n
    boot = out + np.array([ipw, aipw])
    q = np.quantile(boot, [0.025, 0.975], axis=0)
    # balance before / matched / weighted
    s_pool = np.sqrt((X[t == 1].var(axis=0, ddof=1) + X[t == 0].var(axis=0, ddof=1)) / 2)
    smd_before = (X[t == 1].mean(axis=0) - X[t == 0].mean(axis=0)) / s_pool
    smd_after = (X[pt].mean(axis=0) - X[pc].mean(axis=0)) / s_pool
    wc = w * (1 - t)
    smd_w = (X[t == 1].mean(axis=0) - (wc @ X) / wc.sum()) / s_pool
    vr_after = X[pt].var(axis=0, ddof=1) / X[pc].var(axis=0, ddof=1)
    # overlap: histogram, outside support, matching again inside it
    h1 = np.histogram(e[t == 1], bins=20, range=(0, 1))[0]; h0 = np.histogram(e[t == 0], bins=20, range=(0, 1))[0]
    lo1, hi1, lo0, hi0 = e[t == 1].min(), e[t == 1].max(), e[t == 0].min(), e[t == 0].max()
    inside = np.where(t == 1, (e >= lo0) & (e <= hi0), (e >= lo1) & (e <= hi1))
    within = matching(lp[inside], t[inside], y[inside], Xc[inside])[0] if (~inside).any() else m_est
    return {"matching": m_est, "matching_se": m_se, "ipw": ipw, "ipw_ci": q[:, 0].tolist(), "aipw": aipw, "aipw_ci": q[:, 1].tolist(),
            "max_smd_after": float(np.abs(smd_after).max()), "outside": int((~inside).sum()), "within": within}
run()
times = []
for _ in range(runs):
    t0 = time.perf_counter(); r = run(); times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"seconds": times[len(times) // 2], "min": times[0], "result": r}))
`;


function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, n: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } });
  const runs = Math.max(1, Number(values.runs)), n = Number(values.n);
  const { data, raw } = makeData(n, Number(values.seed));
  const options = { bootstrap: 1000, seed: 1, replace: false }; // the Python side matches without replacement

  let result = compareGroups(data, options); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = compareGroups(data, options);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const clout = times[Math.floor(times.length / 2)]!;
  console.log(`compare bench: ${n} units, ${P} covariates, ${result.n_treated} treated; all three methods, 1000 multiplier-bootstrap draws (planted ATT 2)`);
  for (const m of result.methods) console.log(`  clout   ${m.method.padEnd(9)} ${m.estimate.toFixed(4)}  [${m.lower.toFixed(4)}, ${m.upper.toFixed(4)}]  (${m.interval})`);
  console.log(`  clout   max |SMD| after matching ${Math.max(...result.balance.map((b) => Math.abs(b.smd_after))).toFixed(3)}; outside support ${result.overlap.outside_support}; within support ${result.overlap.estimate_within_support?.toFixed(4)}`);

  const py = ensureStatsmodels();
  const dir = mkdtempSync(join(tmpdir(), 'clout-bench-compare-'));
  const file = join(dir, 'data.f64');
  writeFileSync(file, Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  // numpy's BLAS uses every core by default; run it once so and once on one thread, since clout runs on one.
  const runPython = (threads: string | undefined) => {
    const env = threads === undefined ? process.env : { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads };
    const r = spawnSync(py, ['-c', PYTHON, file, String(n), String(P), String(runs), '1000', LOGGED.join(',')], { encoding: 'utf8', maxBuffer: 1 << 24, env });
    if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; min: number; result: Record<string, number | number[]> };
  };
  const out = runPython(undefined);
  const single = runPython('1');
  const pr = out.result;
  const ci = (v: unknown): string => `[${(v as number[]).map((x) => x.toFixed(4)).join(', ')}]`;
  console.log(`  python  matching  ${(pr.matching as number).toFixed(4)}  ± ${(pr.matching_se as number).toFixed(4)} s.e.`);
  console.log(`  python  ipw       ${(pr.ipw as number).toFixed(4)}  ${ci(pr.ipw_ci)}`);
  console.log(`  python  aipw      ${(pr.aipw as number).toFixed(4)}  ${ci(pr.aipw_ci)}`);
  console.log(`  python  max |SMD| after matching ${(pr.max_smd_after as number).toFixed(3)}; outside support ${pr.outside}; within support ${(pr.within as number).toFixed(4)}`);
  console.log(`\n  clout  ${clout.toFixed(3)} s (median of ${runs}; min ${times[0]!.toFixed(3)} s)  [one thread]`);
  console.log(`  python ${out.seconds.toFixed(3)} s (median of ${runs}; min ${out.min.toFixed(3)} s)  [statsmodels + numpy, BLAS on every core]`);
  console.log(`  python ${single.seconds.toFixed(3)} s (median of ${runs}; min ${single.min.toFixed(3)} s)  [statsmodels + numpy, BLAS on one thread]`);
  const ratio = out.seconds / clout;
  console.log(`  clout is ${ratio.toFixed(2)}× ${ratio >= 1 ? 'faster' : 'slower'} than python on every core (goal ≥ 2×); ${(single.seconds / clout).toFixed(2)}× against python on one thread`);
}

main();
