export interface ShellUser {
  name: string;
  email: string;
  role: "admin" | "member";
}
