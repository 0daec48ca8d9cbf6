"use client";

import { KeyRoundIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";

/**
 * The API token POST /api/setup creates (the API contract returns it to scripts that run
 * setup), shown once to the admin who ran setup in the browser instead of being kept from
 * them. It is only in this component's props: nothing stores it client-side.
 */
export function SetupTokenCard({
  token,
  signedIn,
  onContinue,
}: {
  token: string;
  signedIn: boolean;
  onContinue: () => void;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h1 className="flex items-center gap-2 text-xl">
            <KeyRoundIcon aria-hidden="true" className="size-5" />
            Your admin account is ready
          </h1>
        </CardTitle>
        <CardDescription>
          Setup also created an API token named “setup” for scripts and the HTTP API. It acts as
          you, with the admin role.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex items-center gap-2">
          <Input
            readOnly
            value={token}
            aria-label="Setup API token"
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton text={token} label="Copy setup API token" className="size-9" />
        </div>
        <ul className="list-disc space-y-1 pl-5 text-sm text-muted-foreground">
          <li>
            This is the only time it is shown. Send it as{" "}
            <code className="text-xs">Authorization: Bearer &lt;token&gt;</code>.
          </li>
          <li>
            Not needed? Revoke it under Settings → API tokens, where it is listed as “setup”. You
            can create new tokens there at any time.
          </li>
        </ul>
        <Button onClick={onContinue} className="self-end">
          {signedIn ? "Continue to toolgate" : "Continue to sign in"}
        </Button>
      </CardContent>
    </Card>
  );
}
