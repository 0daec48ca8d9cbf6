import { describe, expect, it } from "vitest";
import { buildSystemPrompt, planPathBlock, type SystemPromptInput } from "./prompts";

const PATH = ".toolgate/plans/0b5e8a4c-1111-4222-8333-944445555666.md";
const prompt = (over: Partial<SystemPromptInput> = {}) =>
  buildSystemPrompt({
    planMode: false,
    agent: "root",
    planFilePath: PATH,
    hasWorkspace: true,
    ...over,
  });

describe("buildSystemPrompt", () => {
  it("gives a root chat the base prompt, the planning guide and its plan path, no overlay", () => {
    const p = prompt();
    expect(p).toContain("data, not instructions");
    expect(p).toContain("<planning>");
    expect(p).toContain(planPathBlock(PATH));
    expect(p).not.toContain("<plan-mode>");
    expect(p).not.toContain("<sub-agent>");
  });

  it("adds the root plan-mode overlay with its boundary and exactly one path block", () => {
    const p = prompt({ planMode: true });
    expect(p).toContain("Plan mode is on");
    for (const word of [
      "approved for planning",
      "Workspace MCP",
      "ask_user_question",
      "propose_plan",
      "write_file and edit_files accept only the path in <plan-file-path>",
    ]) {
      expect(p).toContain(word);
    }
    expect(p.match(/<plan-file-path>\n/g)).toHaveLength(1);
    expect(p).toContain(`The plan file of this chat is ${PATH}`);
  });

  it("appends the admin's extra instructions to plan-mode prompts only", () => {
    const extra = "Every plan links its ticket as TICKET-123.";
    expect(prompt({ planMode: true, extraPlanInstructions: extra })).toMatch(
      new RegExp(`<admin-plan-instructions>[\\s\\S]*${extra}[\\s\\S]*</admin-plan-instructions>$`),
    );
    expect(prompt({ planMode: false, extraPlanInstructions: extra })).not.toContain(extra);
    expect(
      prompt({
        planMode: true,
        agent: "subagent",
        planFilePath: null,
        extraPlanInstructions: extra,
      }),
    ).toContain(extra);
    expect(prompt({ planMode: true, extraPlanInstructions: "   " })).not.toContain(
      "<admin-plan-instructions>",
    );
  });

  it("gives sub-agents their own overlay and no plan file or planning guide", () => {
    const sub = prompt({ agent: "subagent", planMode: true, planFilePath: null });
    expect(sub).toContain("you are a sub-agent");
    expect(sub).toContain("no MCP tools");
    expect(sub).not.toContain("<planning>");
    expect(sub).not.toContain("<plan-file-path>");
    const explore = prompt({ agent: "explore", planFilePath: null });
    expect(explore).toContain("<explore-mode>");
    expect(explore).not.toContain("<plan-mode>");
    const plain = prompt({ agent: "subagent", planFilePath: null });
    expect(plain).toContain("<sub-agent>");
  });

  it("tells a chat without a workspace how to get one", () => {
    expect(prompt({ hasWorkspace: false })).toContain("create_workspace and start_workspace");
    expect(prompt({ hasWorkspace: true })).toContain("This chat has a workspace");
  });
});
