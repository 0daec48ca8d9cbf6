import * as React from "react";

import { cn } from "@/lib/utils";
import { Label } from "@/components/ui/label";

/** Props FormField wires onto its control. */
type FormFieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
};

type FormFieldError = React.ReactNode | readonly string[];

type FormFieldProps = Omit<React.ComponentProps<"div">, "id" | "children"> & {
  /** Visible label text (the control's accessible name). */
  label: React.ReactNode;
  /** Id for the control. Defaults to the child's own `id`, else a generated one. */
  id?: string;
  /** Help text, linked through `aria-describedby`. */
  description?: React.ReactNode;
  /**
   * Error message(s). When present the control gets `aria-invalid` and the
   * message is linked through `aria-describedby` and announced (`role="alert"`).
   * Accepts a string array (e.g. zod `fieldErrors.name`).
   */
  error?: FormFieldError;
  /** Shows a required marker and sets `aria-required` on the control. */
  required?: boolean;
  /** Visually hide the label (it stays the accessible name). */
  hideLabel?: boolean;
  /**
   * `vertical` (default): label above the control. `horizontal`: control then
   * label on one row — use for `Checkbox` and `Switch`.
   */
  orientation?: "vertical" | "horizontal";
  labelClassName?: string;
  /**
   * The control: either one element (`<Input />`, `<Textarea />`, `<SelectTrigger />`,
   * `<Switch />`, `<Checkbox />`, …) that gets the props cloned in, or a render
   * function receiving them.
   */
  children:
    | React.ReactElement<Partial<FormFieldControlProps>>
    | ((control: FormFieldControlProps) => React.ReactNode);
};

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== "";
}

/** Normalises `error` to a list of non-empty messages. */
function toMessages(error: FormFieldError): React.ReactNode[] {
  const list: readonly unknown[] = Array.isArray(error) ? error : [error];
  return list.filter(isPresent) as React.ReactNode[];
}

function mergeIds(...ids: (string | undefined | false)[]): string | undefined {
  const merged = ids.filter(Boolean).join(" ");
  return merged.length > 0 ? merged : undefined;
}

/**
 * Label + control + description + error, with the ARIA wiring done for you:
 * `<Label htmlFor>` ↔ control `id`, `aria-describedby` → description/error,
 * `aria-invalid` when there is an error.
 *
 * @example
 * <FormField label="Email" description="We never share it." error={errors.email} required>
 *   <Input name="email" type="email" />
 * </FormField>
 *
 * <FormField label="Model">
 *   {(control) => (
 *     <Select name="model">
 *       <SelectTrigger {...control}><SelectValue placeholder="Pick one" /></SelectTrigger>
 *       <SelectContent>…</SelectContent>
 *     </Select>
 *   )}
 * </FormField>
 */
function FormField({
  label,
  id,
  description,
  error,
  required = false,
  hideLabel = false,
  orientation = "vertical",
  labelClassName,
  className,
  children,
  ...props
}: FormFieldProps) {
  const generatedId = React.useId();
  const element = typeof children === "function" ? null : children;
  const controlId = id ?? element?.props.id ?? `${generatedId}-control`;
  const descriptionId = `${controlId}-description`;
  const errorId = `${controlId}-error`;
  const messages = toMessages(error);
  const invalid = messages.length > 0;

  const controlProps: FormFieldControlProps = {
    id: controlId,
    "aria-describedby": mergeIds(
      element?.props["aria-describedby"],
      description ? descriptionId : undefined,
      invalid ? errorId : undefined,
    ),
    ...(invalid ? { "aria-invalid": true as const } : {}),
    ...(required ? { "aria-required": true as const } : {}),
  };

  const control =
    typeof children === "function"
      ? children(controlProps)
      : React.cloneElement(children, controlProps);

  const labelElement = (
    <Label
      htmlFor={controlId}
      className={cn(
        "group-data-[invalid=true]/form-field:text-destructive",
        hideLabel && "sr-only",
        labelClassName,
      )}
    >
      {label}
      {required ? (
        <span aria-hidden="true" className="text-destructive">
          *
        </span>
      ) : null}
    </Label>
  );

  return (
    <div
      data-slot="form-field"
      data-invalid={invalid || undefined}
      data-orientation={orientation}
      className={cn("group/form-field grid gap-2", className)}
      {...props}
    >
      {orientation === "horizontal" ? (
        <div className="flex items-center gap-2">
          {control}
          {labelElement}
        </div>
      ) : (
        <>
          {labelElement}
          {control}
        </>
      )}
      {description ? (
        <p
          id={descriptionId}
          data-slot="form-field-description"
          className="text-sm text-muted-foreground"
        >
          {description}
        </p>
      ) : null}
      {invalid ? (
        <p
          id={errorId}
          data-slot="form-field-error"
          role="alert"
          className="text-sm font-medium text-destructive"
        >
          {messages.map((message, index) => (
            <span key={index} className="block">
              {message}
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

export { FormField };
export type { FormFieldProps, FormFieldControlProps };
