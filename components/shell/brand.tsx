import Link from "next/link";
import { ShieldCheckIcon } from "lucide-react";

export function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 px-2 text-base font-semibold">
      <ShieldCheckIcon className="size-5" aria-hidden="true" />
      toolgate
    </Link>
  );
}
