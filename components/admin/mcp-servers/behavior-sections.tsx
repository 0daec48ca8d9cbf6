"use client";

import { useQuery } from "@tanstack/react-query";
import { ShieldAlertIcon } from "lucide-react";
import { useId, type ReactNode } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Label } from "@/components/ui/label";
import { Separator } from "@/components/ui/separator";
import { Switch } from "@/components/ui/switch";
import { serverToolsQuery, type McpServerTool } from "@/lib/client/mcp-tool-queries";
import { cn } from "@/lib/utils";
import { AVAILABILITY_OPTIONS } from "./mcp-server-labels";
import { type McpServerFormValues, type SectionProps } from "./mcp-server-form-logic";
import { errorFor } from "./mcp-server-form-validation";
import { ToolListInput } from "./tool-list-input";

type Flag = "enabled" | "model_intent" | "forward_identity_headers" | "allow_in_plan_mode";

/** A labelled switch with help text: the label is the switch's accessible name. */
function SwitchRow({
  values,
  update,
  flag,
  label,
  description,
  children,
}: Pick<SectionProps, "values" | "update"> & {
  flag: Flag;
  label: string;
  description: ReactNode;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <Label htmlFor={id}>{label}</Label>
          <p id={`${id}-description`} className="text-sm text-muted-foreground">
            {description}
          </p>
        </div>
        <Switch
          id={id}
          aria-describedby={`${id}-description`}
          checked={values[flag]}
          onCheckedChange={(checked) => update((v) => ({ ...v, [flag]: checked }))}
        />
      </div>
      {children}
    </div>
  );
}

function ToolListField({
  values,
  update,
  errors,
  field,
  label,
  description,
  known,
}: Pick<SectionProps, "values" | "update" | "errors"> & {
  field: "tool_allow_list" | "tool_deny_list" | "plan_mode_tools";
  label: string;
  description: ReactNode;
  /** The server's catalogue names, to suggest and to warn about a name it does not have. */
  known?: readonly string[];
}) {
  return (
    <FormField label={label} description={description} error={errorFor(errors, field)}>
      {(control) => (
        <ToolListInput
          control={control}
          listLabel={label}
          value={values[field]}
          onChange={(next) => update((v): McpServerFormValues => ({ ...v, [field]: next }))}
          {...(known !== undefined && { known })}
        />
      )}
    </FormField>
  );
}

/** The saved server's catalogue (edit page only), for suggestions and warnings. */
function useCatalogue(id: string | undefined): McpServerTool[] | undefined {
  const query = useQuery({ ...serverToolsQuery(id ?? ""), enabled: id !== undefined });
  return id === undefined ? undefined : query.data;
}

/** Tools plan mode would admit with the form's current lists. */
function planModeCandidates(tools: McpServerTool[], values: McpServerFormValues) {
  return tools.filter(
    (t) =>
      t.status !== "removed" &&
      t.rule !== "disabled" &&
      !values.tool_deny_list.includes(t.name) &&
      (values.tool_allow_list.length === 0 || values.tool_allow_list.includes(t.name)) &&
      (values.plan_mode_tools.length === 0 || values.plan_mode_tools.includes(t.name)),
  );
}

export function BehaviorSection({ values, update, errors, original }: SectionProps) {
  const known = useCatalogue(original?.id)?.map((t) => t.name);
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Behavior</h2>
        </CardTitle>
        <CardDescription>Who gets the server&apos;s tools, and which of them.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <SwitchRow
          values={values}
          update={update}
          flag="enabled"
          label="Enabled"
          description="A disabled server offers no tools anywhere and is hidden from members."
        />
        <fieldset className="flex flex-col gap-3">
          <legend className="mb-1 text-sm font-medium">Availability</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {AVAILABILITY_OPTIONS.map((option) => (
              <label
                key={option.value}
                className={cn(
                  "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                  values.availability === option.value && "border-primary bg-accent/40",
                )}
              >
                <input
                  type="radio"
                  name="availability"
                  value={option.value}
                  checked={values.availability === option.value}
                  onChange={() => update((v) => ({ ...v, availability: option.value }))}
                  className="mt-0.5 accent-primary"
                />
                <span className="flex flex-col gap-0.5">
                  <span className="font-medium">{option.label}</span>
                  <span className="text-muted-foreground">{option.description}</span>
                </span>
              </label>
            ))}
          </div>
          {errorFor(errors, "availability") ? (
            <p role="alert" className="text-sm font-medium text-destructive">
              {errorFor(errors, "availability")}
            </p>
          ) : null}
        </fieldset>
        <Separator />
        <SwitchRow
          values={values}
          update={update}
          flag="model_intent"
          label="Ask the model for a short intent phrase with each call"
          description="Adds a model_intent field to every tool, shown to users as the call's label (“Searching the docs for SSO setup”). It is removed before the call reaches the server."
        />
        <SwitchRow
          values={values}
          update={update}
          flag="forward_identity_headers"
          label="Forward identity headers"
          description="Sends the calling user's id and the chat and workspace ids as X-Toolgate-* headers with every call."
        >
          {values.forward_identity_headers ? (
            <Alert role={undefined} className="border-amber-500/50">
              <ShieldAlertIcon aria-hidden="true" />
              <AlertDescription>
                Only for servers you trust: they receive the user, chat and workspace ids of every
                call and can correlate what each person does.
              </AlertDescription>
            </Alert>
          ) : null}
        </SwitchRow>
        <Separator />
        <div className="grid gap-5 sm:grid-cols-2">
          <ToolListField
            values={values}
            update={update}
            errors={errors}
            known={known}
            field="tool_allow_list"
            label="Tool allow list"
            description="Tool names as the server calls them. Empty allows all tools."
          />
          <ToolListField
            values={values}
            update={update}
            errors={errors}
            known={known}
            field="tool_deny_list"
            label="Tool deny list"
            description="These tools are never offered. The deny list always wins over the allow list."
          />
        </div>
      </CardContent>
    </Card>
  );
}

export function PlanModeSection({ values, update, errors, original }: SectionProps) {
  const catalogue = useCatalogue(original?.id);
  const known = catalogue?.map((t) => t.name);
  const writers = values.allow_in_plan_mode
    ? planModeCandidates(catalogue ?? [], values).filter(
        (t) => t.annotations?.readOnlyHint !== true,
      )
    : [];
  const readOnly = (catalogue ?? [])
    .filter((t) => t.status !== "removed" && t.annotations?.readOnlyHint === true)
    .map((t) => t.name);
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Plan mode</h2>
        </CardTitle>
        <CardDescription>
          Plan-mode turns research and propose a plan before anything changes. By default they get
          no MCP tools.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <SwitchRow
          values={values}
          update={update}
          flag="allow_in_plan_mode"
          label="Allow all tools from this MCP server in root plan mode"
          description="Only the chat's own (root) agent gets them, after the allow and deny lists. Workspace MCP servers and plan-mode sub-agents remain restricted."
        />
        {writers.length > 0 ? (
          <Alert role={undefined} className="border-amber-500/50">
            <ShieldAlertIcon aria-hidden="true" />
            <AlertDescription className="flex flex-col gap-2">
              <span>
                Plan mode would include tools that do not say they are read-only:{" "}
                {writers.map((t) => t.name).join(", ")}.
              </span>
              <Button
                type="button"
                size="sm"
                variant="outline"
                className="w-fit"
                disabled={readOnly.length === 0}
                onClick={() =>
                  update((v): McpServerFormValues => ({ ...v, plan_mode_tools: readOnly }))
                }
              >
                Only read-only tools
              </Button>
            </AlertDescription>
          </Alert>
        ) : null}
        {values.allow_in_plan_mode ? (
          <ToolListField
            values={values}
            update={update}
            errors={errors}
            known={known}
            field="plan_mode_tools"
            label="Only these tools in plan mode"
            description="Optional. Empty allows every tool the lists above admit; names here narrow plan mode to just those tools."
          />
        ) : null}
      </CardContent>
    </Card>
  );
}
