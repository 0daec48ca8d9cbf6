"use client";

import { XIcon } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import type { FormFieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { normalizeList } from "./mcp-server-form-logic";

/**
 * Tool names as removable chips. Enter, comma or paste adds; Backspace on an empty input
 * removes the last one; leaving the field keeps what was typed, so nothing is lost on Save.
 */
export function ToolListInput({
  control,
  listLabel,
  value,
  onChange,
  placeholder = "Type a tool name and press Enter",
  known,
}: {
  /** FormField's wiring (id, aria-describedby, aria-invalid) for the text input. */
  control: FormFieldControlProps;
  /** Names the chips and their remove buttons, e.g. "Tool allow list". */
  listLabel: string;
  value: string[];
  onChange: (next: string[]) => void;
  placeholder?: string;
  /** Tool names the server has listed: suggested while typing; other names get a warning. */
  known?: readonly string[];
}) {
  const [draft, setDraft] = useState("");
  const listId = useId();
  const unknown = known ? value.filter((t) => !known.includes(t)) : [];

  function commit(text: string) {
    const added = text.split(/[\s,]+/);
    if (added.every((t) => t.trim() === "")) return;
    onChange(normalizeList([...value, ...added]));
    setDraft("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" || event.key === ",") {
      // Enter must not submit the whole form while a name is being typed.
      event.preventDefault();
      commit(draft);
    } else if (event.key === "Backspace" && draft === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  return (
    <div className="flex flex-col gap-2">
      {value.length > 0 ? (
        <ul aria-label={listLabel} className="flex flex-wrap gap-1.5">
          {value.map((tool) => (
            <li
              key={tool}
              className="inline-flex items-center gap-1 rounded-md border bg-secondary py-0.5 pr-0.5 pl-2 font-mono text-xs text-secondary-foreground"
            >
              {tool}
              <button
                type="button"
                className="rounded-sm p-0.5 text-muted-foreground hover:bg-background hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring/50 focus-visible:outline-hidden"
                aria-label={`Remove ${tool} from ${listLabel.toLowerCase()}`}
                onClick={() => onChange(value.filter((t) => t !== tool))}
              >
                <XIcon aria-hidden="true" className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Input
        {...control}
        value={draft}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        {...(known !== undefined && { list: listId })}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => commit(draft)}
        onPaste={(e) => {
          const text = e.clipboardData.getData("text");
          if (/[\s,]/.test(text.trim())) {
            e.preventDefault();
            commit(`${draft} ${text}`);
          }
        }}
      />
      {known !== undefined ? (
        <datalist id={listId}>
          {known
            .filter((name) => !value.includes(name))
            .map((name) => (
              <option key={name} value={name} />
            ))}
        </datalist>
      ) : null}
      {unknown.length > 0 ? (
        <p role="status" className="text-xs text-amber-700 dark:text-amber-400">
          Not a tool this server has listed: {unknown.join(", ")}. Check the spelling; such a name
          matches nothing until the server lists it.
        </p>
      ) : null}
    </div>
  );
}
