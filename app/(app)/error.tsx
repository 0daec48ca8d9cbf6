"use client";

import { ErrorView } from "@/components/error-view";

export default function AppError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl py-12">
      <ErrorView message="This page failed to load. The error has been logged." onRetry={reset} />
    </div>
  );
}
