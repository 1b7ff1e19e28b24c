// Samples a process's resident memory (VmRSS) and open file descriptors from /proc once a second.
import { readFileSync, readdirSync } from 'node:fs';

export interface Sample {
  /** Milliseconds since the sampler started. */
  t: number;
  rssBytes: number;
  fds: number;
}

/** One reading of process `pid` now. */
export function sampleNow(pid: number, t = 0): Sample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN');
  return { t, rssBytes: kb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

export class Sampler {
  readonly samples: Sample[] = [];
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.take(), 1000);
    this.take();
  }

  take(): Sample {
    const sample = sampleNow(this.pid, Date.now() - this.started);
    this.samples.push(sample);
    return sample;
  }

  /** The highest RSS and fd count seen since sample index `from`. */
  peak(from = 0): { rssBytes: number; fds: number } {
    const window = this.samples.slice(from);
    return {
      rssBytes: Math.max(...window.map((s) => s.rssBytes)),
      fds: Math.max(...window.map((s) => s.fds)),
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
