import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export function ProfileCard({
  name,
  email,
  role,
  loginType,
}: {
  name: string;
  email: string;
  role: string;
  loginType: string;
}) {
  const rows: [string, ReactNode][] = [
    ["Name", name],
    ["Email", email],
    [
      "Role",
      <Badge key="role" variant={role === "admin" ? "default" : "secondary"}>
        {role}
      </Badge>,
    ],
    ["Sign-in method", loginType === "oidc" ? "OIDC" : "Email and password"],
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>Profile</h2>
        </CardTitle>
        <CardDescription>Administrators manage names and roles.</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}
