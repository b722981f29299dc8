import type { ReactNode } from "react";

/** A submit button that asks first (with JavaScript); without it, the form simply posts. */
export function ConfirmButton({
  question,
  children,
  className = "danger",
}: {
  question: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <button
      type="submit"
      className={className}
      onClick={(e) => {
        if (!window.confirm(question)) e.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
