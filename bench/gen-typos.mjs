// A workspace file for the NP206 "did you mean" path at scale: one namespace with many workloads
// (distinct `app` labels) and policies whose selectors are a typo away from them, so that every
// policy gets a finding and a guess. Deterministic: the same arguments give the same bytes.
// Usage: node bench/gen-typos.mjs OUT.yaml [--workloads 500] [--policies 200]
// then: node bench/cold.mjs --base REV OUT.yaml   (or node bench/lints.mjs OUT.yaml)
import { writeFileSync } from 'node:fs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const out = process.argv[2];
if (!out || out.startsWith('--')) {
  console.error('usage: node bench/gen-typos.mjs OUT.yaml [--workloads 500] [--policies 200]');
  process.exit(2);
}
const workloads = arg('workloads', 500);
const policies = arg('policies', 200);
const docs = [];
for (let i = 0; i < workloads; i++) {
  docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
spec:
  template:
    metadata:
      labels:
        app: service-${i}
        tier: t${i % 7}
    spec:
      containers:
        - name: c
          image: registry.example/svc:${i}
`);
}
for (let i = 0; i < policies; i++) {
  // The policy's own selector misspells the value; the peer's has a stray character and a tier.
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p-${i}
spec:
  podSelector:
    matchLabels:
      app: servce-${i % workloads}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: service-${(i + 1) % workloads}x
              tier: t${(i + 1) % 7}
`);
}
writeFileSync(out, docs.join('---\n'));
console.error(`gen-typos: ${workloads} workloads, ${policies} policies -> ${out}`);
