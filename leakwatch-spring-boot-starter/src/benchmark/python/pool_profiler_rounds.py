"""Pools the per-round ratios of several ProfilerThroughputBenchmark logs (BENCHMARKS.md, issue 4).

Usage: python3 pool_profiler_rounds.py run1.log run2.log ...  (each log: both JDKs' output, in any order)
Prints, per log and JDK, then pooled per JDK: median [95 % bootstrap interval of the median, 5000
resamples] of the CPU-time and wall-time ratios to the slice without the profiler.
"""
import re,random,sys
def parse(path):
    out={}; cur=None
    for line in open(path):
        m=re.match(r'java (\S+),',line)
        if m: cur='25' if m.group(1).startswith('25') else '17'; out.setdefault(cur,[]); continue
        m=re.match(r'round \d+: .*no stacks .*ratio ([\d.]+) \(per CPU-s ([\d.]+)\); stacks .*ratio ([\d.]+) \(per CPU-s ([\d.]+)\)',line)
        if m and cur: out[cur].append(tuple(map(float,m.groups())))
    return out
def med(v): v=sorted(v); n=len(v); return v[n//2] if n%2 else (v[n//2-1]+v[n//2])/2
def boot(v,r=random.Random(1)):
    ms=sorted(med([v[r.randrange(len(v))] for _ in v]) for _ in range(5000)); return ms[125],ms[4874]
pooled={'17':[], '25':[]}
for f in sys.argv[1:]:
    d=parse(f)
    for j,rows in d.items():
        pooled[j]+=rows
        for k,name in ((1,'no stacks CPU'),(3,'stacks CPU'),(0,'no stacks wall'),(2,'stacks wall')):
            v=[r[k] for r in rows]; lo,hi=boot(v); print(f, j, len(v), name, '%.3f [%.3f-%.3f]'%(med(v),lo,hi))
for j,rows in pooled.items():
    if not rows: continue
    for k,name in ((1,'no stacks CPU'),(3,'stacks CPU'),(0,'no stacks wall'),(2,'stacks wall')):
        v=[r[k] for r in rows]; lo,hi=boot(v); print('POOLED', j, len(v), name, '%.3f [%.3f-%.3f]'%(med(v),lo,hi))
