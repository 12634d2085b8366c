;; Elementwise passes of the VAE's training step, in WebAssembly SIMD: the source of the bytes
;; in ./step-kernels.ts (regenerate with wabt's wat2wasm --enable-simd, then base64).
;; They run on tfjs-backend-wasm's own memory (imported), on tensors where tfjs keeps them.
;; Addresses are in bytes, counts in float32 elements.
(module
  (import "env" "memory" (memory 1))

  ;; x ← max(x, 0) in place (NaN stays NaN).
  (func (export "relu") (param $p i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.max (v128.load (i32.add (local.get $p) (local.get $i))) (v128.const f32x4 0 0 0 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $v)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $p) (local.get $i))
          (f32.max (f32.load (i32.add (local.get $p) (local.get $i))) (f32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $s))))

  ;; out ← dy where y > 0, else 0: the gradient through a ReLU whose output is y.
  (func (export "reluGrad") (param $dy i32) (param $y i32) (param $o i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone
      (loop $v
        (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $o) (local.get $i))
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $i)))
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $v)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (i32.add (local.get $o) (local.get $i))
          (select (f32.load (i32.add (local.get $dy) (local.get $i))) (f32.const 0)
            (f32.gt (f32.load (i32.add (local.get $y) (local.get $i))) (f32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $s))))

  ;; Bernoulli cross-entropy of pixels x under logits l, and its gradient, in one pass:
  ;;   g ← sigmoid(l) − x;   returns Σ max(l, 0) − x·l + log(1 + e^−|l|)   (summed in float64).
  ;; With t = e^−|l|: sigmoid(l) = 1/(1+t) for l ≥ 0, t/(1+t) for l < 0, and
  ;; log(1+t) = 2·atanh(s) with s = t/(2+t) ∈ [0, 1/3]: 2s(1 + z·Q(z)), z = s², Q a degree-4
  ;; least-squares fit on Chebyshev nodes (relative error 4e−10; no cancellation for small t).
  ;; e^−a: a = k·ln2 + r (k integer, |r| ≤ ln2/2; Cody–Waite split of ln2), e^−r by Cephes'
  ;; expf polynomial, times 2^−k built in the exponent bits. |l| is capped at 87 (t ≥ 1.6e−38,
  ;; which leaves both results unchanged in float32). Needs n ≥ 4: the last n mod 4 elements
  ;; are done by one more vector ending at n, whose lanes already counted are masked out of the sum.
  (func $bce4 (param $L v128) (param $X v128) (param $gp i32) (result v128)
    (local $a v128) (local $m v128) (local $k v128) (local $q v128) (local $p v128)
    (local $t v128) (local $ru v128) (local $s v128) (local $z v128)
    ;; pmin: one instruction (NaN stays NaN: pmin(87, NaN) = NaN)
    (local.set $a (f32x4.pmin (v128.const f32x4 87 87 87 87) (f32x4.abs (local.get $L))))
;; k = round(a / ln2) by adding 2²³ (the float's low bits then hold k, kept in $m);
    ;; q = −r = k·ln2 − a, ln2 = 0.693359375 − 2.12194440e−4 (k·0.693359375 exact)
    (local.set $m (f32x4.add (f32x4.mul (local.get $a) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341)) (v128.const f32x4 8388608 8388608 8388608 8388608)))
    (local.set $k (f32x4.sub (local.get $m) (v128.const f32x4 8388608 8388608 8388608 8388608)))
    (local.set $q (f32x4.add
      (f32x4.sub (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)) (local.get $a))
      (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    ;; e^q ≈ 1 + q + q²·P(q)
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4) (local.get $q)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $q)) (local.get $q)) (local.get $q)) (v128.const f32x4 1 1 1 1)))
    ;; t = e^q · 2^−k, 2^−k from the exponent field (127 − k) << 23 (bits of $m: 0x4B000000 + k); k ≤ 126
    (local.set $t (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.sub (v128.const i32x4 0x4B00007F 0x4B00007F 0x4B00007F 0x4B00007F) (local.get $m)) (i32.const 23))))
    (local.set $ru (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (local.get $t) (v128.const f32x4 1 1 1 1))))
    ;; g = sigmoid(l) − x
    (v128.store (local.get $gp)
      (f32x4.sub
        (v128.bitselect (local.get $ru) (f32x4.mul (local.get $t) (local.get $ru)) (f32x4.ge (local.get $L) (v128.const f32x4 0 0 0 0)))
        (local.get $X)))
    (local.set $s (f32x4.div (local.get $t) (f32x4.add (local.get $t) (v128.const f32x4 2 2 2 2))))
    (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 0.1162068334594541 0.1162068334594541 0.1162068334594541 0.1162068334594541) (local.get $z)) (v128.const f32x4 0.10851376189467442 0.10851376189467442 0.10851376189467442 0.10851376189467442)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.14296314466457608 0.14296314466457608 0.14296314466457608 0.14296314466457608)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.19999849996796829 0.19999849996796829 0.19999849996796829 0.19999849996796829)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.3333333367430904 0.3333333367430904 0.3333333367430904 0.3333333367430904)))
    (local.set $s (f32x4.add (local.get $s) (local.get $s)))
    ;; max(l, 0) − x·l + 2s + 2s·z·Q (pmax gives 0 for a NaN l, but x·l keeps the NaN)
    (f32x4.add
      (f32x4.sub (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $L)) (f32x4.mul (local.get $X) (local.get $L)))
      (f32x4.add (local.get $s) (f32x4.mul (f32x4.mul (local.get $s) (local.get $z)) (local.get $p)))))

  ;; Two float64 partial sums (lanes 0–1, lanes 2–3) plus the four lanes of b.
  (func $acc (param $acc v128) (param $b v128) (result v128)
    (f64x2.add
      (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $b)))
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b)))))

  (func (export "bce") (param $l i32) (param $x i32) (param $g i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $end2 i32) (local $acc v128) (local $acc2 v128) (local $mask v128)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    ;; Two vectors per iteration while they fit: independent work for the out-of-order core.
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2)))
    (block $done2
      (loop $v2
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $end2)))
        (local.set $acc (call $acc (local.get $acc)
          (call $bce4 (v128.load (i32.add (local.get $l) (local.get $i))) (v128.load (i32.add (local.get $x) (local.get $i)))
            (i32.add (local.get $g) (local.get $i)))))
        (local.set $acc2 (call $acc (local.get $acc2)
          (call $bce4 (v128.load offset=16 (i32.add (local.get $l) (local.get $i))) (v128.load offset=16 (i32.add (local.get $x) (local.get $i)))
            (i32.add (i32.add (local.get $g) (local.get $i)) (i32.const 16)))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $v2)))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $acc (call $acc (local.get $acc)
          (call $bce4 (v128.load (i32.add (local.get $l) (local.get $i))) (v128.load (i32.add (local.get $x) (local.get $i)))
            (i32.add (local.get $g) (local.get $i)))))))
    ;; The last n mod 4 elements: the vector ending at n, lanes below 4 − (n mod 4) masked out.
    (if (i32.and (local.get $n) (i32.const 3))
      (then
        (local.set $i (i32.sub (i32.shl (local.get $n) (i32.const 2)) (i32.const 16)))
        (local.set $mask (i32x4.ge_s (v128.const i32x4 0 1 2 3)
          (i32x4.splat (i32.sub (i32.const 4) (i32.and (local.get $n) (i32.const 3))))))
        (local.set $acc2 (call $acc (local.get $acc2) (v128.and (local.get $mask)
          (call $bce4 (v128.load (i32.add (local.get $l) (local.get $i))) (v128.load (i32.add (local.get $x) (local.get $i)))
            (i32.add (local.get $g) (local.get $i))))))))
    (local.set $acc (f64x2.add (local.get $acc) (local.get $acc2)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
)
