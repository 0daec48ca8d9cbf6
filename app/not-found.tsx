import { FileQuestionIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="flex min-h-svh items-center justify-center p-6">
      <EmptyState
        titleAs="h1"
        icon={<FileQuestionIcon />}
        title="Page not found"
        description="The page you asked for does not exist or you do not have access to it."
        action={
          // A plain link: next/link here would put its client code in every page's first
          // load a second time (this root boundary is chunked apart from the pages).
          <Button asChild>
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- see above */}
            <a href="/">Go home</a>
          </Button>
        }
      />
    </main>
  );
}
