// The bench's sections, in the order they run. A new figure is a new module in this folder
// exporting a BenchSection (see ../section.ts), listed here; it reports each figure with its
// goal (or as a reference) through the SectionReport it is handed.
import type { BenchSection } from "../section";
import { apiInProcess } from "./api";
import { assembly } from "./assembly";
import { bundle } from "./bundle";
import { catalogue } from "./catalogue";
import { deadServer } from "./dead-server";
import { http } from "./http";
import { sandbox } from "./sandbox";
import { turn } from "./turn";
import { turnWrites } from "./turn-writes";

export const SECTIONS: readonly BenchSection[] = [
  bundle,
  apiInProcess,
  assembly,
  turn,
  turnWrites,
  deadServer,
  catalogue,
  // Further in-process sections go here. The audit's own figures (the audit write's share of a
  // turn, a 100,000-row export's peak RSS) run apart: npm run bench:audit.
  sandbox,
  http,
];
