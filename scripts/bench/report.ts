// What a section reports: figures, each with its goal and a verdict, or marked as a reference
// (a baseline or context). A section that reports no figure measured nothing and fails.

export interface Goal {
  /** The goal in words, e.g. "<= 1.5x the script". */
  text: string;
  met: boolean;
}

export interface Figure {
  label: string;
  /** Formatted, unit included. */
  value: string;
  /** Absent for baselines and context figures. */
  goal?: Goal;
}

/** Thrown by a section that cannot run here (no build, no sandbox): reported, not a crash. */
export class NotRun extends Error {
  override readonly name = "NotRun";
}

export class SectionReport {
  readonly figures: Figure[] = [];

  heading(text: string): void {
    console.log(`  ${text}`);
  }

  figure(figure: Figure): void {
    this.figures.push(figure);
    const verdict = figure.goal
      ? `goal ${figure.goal.text}: ${figure.goal.met ? "met" : "NOT met"}`
      : "(reference)";
    console.log(`  ${figure.label.padEnd(62)} ${figure.value.padStart(16)}   ${verdict}`);
  }
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;
export const perSec = (n: number) => `${n.toFixed(0)} /s`;
export const ratio = (n: number) => `${n.toFixed(2)}x`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
